package io.kubeaudit.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The level and omitted stages a policy gives one request, and the rule that decided (empty: no rule matched). */
public record AuditDecision(AuditLevel level, Set<AuditStage> omitStages, Optional<PolicyRule> rule) {

    public AuditDecision {
        Objects.requireNonNull(level, "level");
        omitStages = Set.copyOf(omitStages);
        Objects.requireNonNull(rule, "rule");
    }
}
