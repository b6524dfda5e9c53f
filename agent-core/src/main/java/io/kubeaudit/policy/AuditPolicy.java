package io.kubeaudit.policy;

import io.kubeaudit.yaml.SourceLocation;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A validated {@code audit.k8s.io/v1} Policy, with the place in the file of every rule so that
 * lint findings and server checks can point at it.
 */
public record AuditPolicy(String fileName, SourceLocation location, List<PolicyRule> rules, Set<AuditStage> omitStages,
                          Optional<ManagedFieldsOption> omitManagedFields) {

    public static final String API_VERSION = "audit.k8s.io/v1";

    public AuditPolicy {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(location, "location");
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one rule");
        }
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).index() != i) {
                throw new IllegalArgumentException("rule at position " + i + " carries index " + rules.get(i).index());
            }
        }
        omitStages = Set.copyOf(omitStages);
        Objects.requireNonNull(omitManagedFields, "omitManagedFields");
    }

    /** The stages a rule's events leave out: the policy's and the rule's own, as the API server unions them. */
    public Set<AuditStage> effectiveOmitStages(PolicyRule rule) {
        Set<AuditStage> all = EnumSet.noneOf(AuditStage.class);
        all.addAll(omitStages);
        all.addAll(rule.omitStages());
        return all;
    }

    /** Whether a rule's events leave out managedFields: the rule's own setting, else the policy's, else not. */
    public boolean omitsManagedFields(PolicyRule rule) {
        return rule.omitManagedFields().or(() -> omitManagedFields).map(ManagedFieldsOption::omit).orElse(false);
    }

    /** Every place {@code omitManagedFields} is set, policy-wide first. */
    public List<ManagedFieldsOption> managedFieldsOptions() {
        return Stream.concat(omitManagedFields.stream(),
                rules.stream().flatMap(r -> r.omitManagedFields().stream())).toList();
    }
}
