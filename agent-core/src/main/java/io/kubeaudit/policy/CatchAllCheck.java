package io.kubeaudit.policy;

import java.util.List;
import java.util.Optional;

/**
 * What happens to requests no specific rule selects: the API server's default is level None, so
 * without a catch-all (or with a None one) they vanish; a RequestResponse catch-all logs every
 * response of every read.
 */
final class CatchAllCheck implements LintCheck {

    @Override
    public List<LintFinding> check(AuditPolicy policy) {
        List<PolicyRule> rules = policy.rules();
        if (rules.stream().allMatch(r -> r.level() == AuditLevel.NONE)) {
            return List.of(new LintFinding("logs-nothing", policy.location(),
                    "every rule has level None: this policy records no request at all",
                    "It satisfies a check that --audit-policy-file is set (RKE2 writes exactly this, rules: [{level: None}])"
                            + " but produces an empty audit log. Start from the bundled minimal or recommended policy."));
        }
        Optional<PolicyRule> catchAll = rules.stream().filter(PolicyRule::isCatchAll).findFirst();
        if (catchAll.isEmpty()) {
            PolicyRule last = rules.get(rules.size() - 1);
            return List.of(new LintFinding("no-catch-all", last.location(),
                    "no rule selects every request: requests the rules do not name are silently not logged",
                    "The API server's level for an unmatched request is None. New APIs, custom resources and unforeseen"
                            + " users would leave no trace. End the rules with \"- level: Metadata\" (cheap: no bodies) and"
                            + " drop known noise with explicit None rules above it."));
        }
        PolicyRule rule = catchAll.get();
        if (rule.level() == AuditLevel.NONE) {
            return List.of(new LintFinding("none-catch-all", rule.location(),
                    rule.path() + " has level None and no selector: it drops every request the rules above do not name",
                    "Requests nobody thought of (RBAC changes, exec into pods, custom resources, new users) would leave no"
                            + " trace. Make the last rule \"- level: Metadata\" and drop specific noise with None rules that"
                            + " name it (users, verbs, resources)."));
        }
        if (rule.level() == AuditLevel.REQUEST_RESPONSE) {
            return List.of(new LintFinding("catch-all-request-response", rule.location(),
                    rule.path() + " logs every remaining request at RequestResponse, every get and list with its whole response",
                    "Read responses dominate the volume (often 5 to 10 times a Metadata policy) and include objects of"
                            + " custom resources that may hold credentials. Keep RequestResponse for writes (verbs: [create,"
                            + " update, patch, delete, deletecollection]), log reads at Request, and end with"
                            + " \"- level: Metadata\"."));
        }
        return List.of();
    }
}
