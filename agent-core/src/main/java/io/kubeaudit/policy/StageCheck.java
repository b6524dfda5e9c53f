package io.kubeaudit.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Stages logged or omitted in ways that double the volume or lose events. */
final class StageCheck implements LintCheck {

    @Override
    public List<LintFinding> check(AuditPolicy policy) {
        List<LintFinding> out = new ArrayList<>();
        List<PolicyRule> logging = policy.rules().stream().filter(r -> r.level() != AuditLevel.NONE).toList();
        List<PolicyRule> withReceived = logging.stream()
                .filter(r -> !policy.effectiveOmitStages(r).contains(AuditStage.REQUEST_RECEIVED)).toList();
        if (!withReceived.isEmpty()) {
            out.add(new LintFinding("request-received-logged", withReceived.get(0).location(),
                    "RequestReceived is not omitted for " + paths(withReceived) + ": each request is logged twice",
                    "The RequestReceived event repeats what the ResponseComplete event says, minus the outcome, and doubles"
                            + " the volume. Add \"omitStages: [RequestReceived]\" at the top of the policy (next to rules)."));
        }
        for (PolicyRule rule : logging) {
            Set<AuditStage> omitted = policy.effectiveOmitStages(rule);
            if (omitted.contains(AuditStage.RESPONSE_COMPLETE)) {
                out.add(new LintFinding("response-complete-omitted", rule.location(),
                        rule.path() + " omits ResponseComplete: its requests are logged without their outcome, or not at all",
                        "ResponseComplete is the one event with the response code and, at RequestResponse, the response"
                                + " body; only long-running requests such as watches also have ResponseStarted. Remove"
                                + " ResponseComplete from omitStages."));
            }
            if (omitted.contains(AuditStage.PANIC)) {
                out.add(new LintFinding("panic-omitted", rule.location(),
                        rule.path() + " omits Panic: a request that crashes its handler leaves no audit event",
                        "Panic events are rare and are the only record of such requests (a crafted request that crashes"
                                + " the server is worth knowing about). Remove Panic from omitStages."));
            }
        }
        return out;
    }

    private static final int LISTED = 4;

    private static String paths(List<PolicyRule> rules) {
        String listed = rules.stream().limit(LISTED).map(PolicyRule::path).collect(Collectors.joining(", "));
        return rules.size() > LISTED ? listed + " and " + (rules.size() - LISTED) + " more rules" : listed;
    }
}
