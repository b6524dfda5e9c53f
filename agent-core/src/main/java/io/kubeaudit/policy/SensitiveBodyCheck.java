package io.kubeaudit.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Credentials reaching the log in request or response bodies: Secrets and ConfigMaps (data),
 * TokenReviews (the reviewed bearer token is in the request) and service-account tokens (the
 * issued token is in the response). A rule that selects every request to such a resource at
 * Metadata or None protects it from the rules below.
 */
final class SensitiveBodyCheck implements LintCheck {

    private record Target(String group, String resource, String contents, boolean requestBodyLeaks) {
        String display() {
            return group.isEmpty() ? resource : resource + " (" + group + ")";
        }
    }

    private static final List<Target> TARGETS = List.of(
            new Target("", "secrets", "Secret values", true),
            new Target("", "configmaps", "ConfigMap data (often connection strings and passwords)", true),
            new Target("authentication.k8s.io", "tokenreviews", "the bearer token under review", true),
            new Target("", "serviceaccounts/token", "freshly issued service-account tokens", false));
    private static final List<String> VERBS_WITH_BODY = List.of("create", "update", "patch");
    private static final String FIX = "Put a rule above it that logs them at Metadata only, as the GKE policy does:\n"
            + "  - level: Metadata\n"
            + "    resources:\n"
            + "      - group: \"\"\n"
            + "        resources: [\"secrets\", \"configmaps\", \"serviceaccounts/token\"]\n"
            + "      - group: \"authentication.k8s.io\"\n"
            + "        resources: [\"tokenreviews\"]";

    @Override
    public List<LintFinding> check(AuditPolicy policy) {
        Map<PolicyRule, List<Target>> leaking = new LinkedHashMap<>();
        for (Target target : TARGETS) {
            for (PolicyRule rule : policy.rules()) {
                if (RuleCoverage.mayMatch(rule, target.group(), target.resource()) && leaks(rule, target)) {
                    leaking.computeIfAbsent(rule, r -> new ArrayList<>()).add(target);
                }
                if (RuleCoverage.matchesEveryRequestTo(rule, target.group(), target.resource())) {
                    break;
                }
            }
        }
        List<LintFinding> out = new ArrayList<>();
        leaking.forEach((rule, targets) -> out.add(finding(rule, targets)));
        return out;
    }

    private static boolean leaks(PolicyRule rule, Target target) {
        if (rule.level() == AuditLevel.REQUEST_RESPONSE) {
            return true;
        }
        return rule.level() == AuditLevel.REQUEST && target.requestBodyLeaks()
                && (rule.verbs().isEmpty() || rule.verbs().stream().anyMatch(VERBS_WITH_BODY::contains));
    }

    private static LintFinding finding(PolicyRule rule, List<Target> targets) {
        String scope = rule.users().isEmpty() && rule.userGroups().isEmpty() && rule.verbs().isEmpty() && rule.namespaces().isEmpty()
                ? "" : " (for the users, groups, verbs or namespaces it names)";
        Set<String> hows = targets.stream().map(t -> RuleCoverage.how(rule, t.group(), t.resource())).collect(Collectors.toSet());
        String how = hows.size() == 1 && !hows.contains("") ? " " + hows.iterator().next() : "";
        String what = rule.level() == AuditLevel.REQUEST_RESPONSE ? "request and response bodies" : "request bodies";
        return new LintFinding("sensitive-body", rule.location(),
                rule.path() + " logs " + what + " of " + targets.stream().map(Target::display).collect(Collectors.joining(", "))
                        + " at " + rule.level() + how + scope,
                "The log would hold " + targets.stream().map(Target::contents).collect(Collectors.joining("; "))
                        + ": anyone who can read audit logs, on the node or in the SIEM, could read them too. " + FIX);
    }
}
