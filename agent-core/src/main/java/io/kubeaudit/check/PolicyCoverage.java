package io.kubeaudit.check;

import io.kubeaudit.policy.AuditDecision;
import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.AuditStage;
import io.kubeaudit.policy.PolicyChecker;
import io.kubeaudit.policy.RequestAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Item 3.2.2, "the audit policy covers key security concerns", decided by asking the policy (with the server's
 * matcher) what it does with one request of each kind the benchmark names, made by an ordinary user.
 */
final class PolicyCoverage {

    static final String ID = "3.2.2";
    static final String TITLE = "Ensure that the audit policy covers key security concerns";

    /** One request the benchmark wants logged; {@code metadataOnly}: its bodies hold credentials. */
    private record Concern(String what, String verb, String group, String resource, String subresource, boolean metadataOnly) {
    }

    private static final List<Concern> CONCERNS = List.of(
            new Concern("reading a Secret", "get", "", "secrets", "", true),
            new Concern("creating a Secret", "create", "", "secrets", "", true),
            new Concern("reading a ConfigMap", "get", "", "configmaps", "", true),
            new Concern("a TokenReview", "create", "authentication.k8s.io", "tokenreviews", "", true),
            new Concern("a service-account token request", "create", "", "serviceaccounts", "token", true),
            new Concern("creating a Pod", "create", "", "pods", "", false),
            new Concern("changing a Pod", "patch", "", "pods", "", false),
            new Concern("deleting a Pod", "delete", "", "pods", "", false),
            new Concern("changing a Deployment", "patch", "apps", "deployments", "", false),
            new Concern("deleting a Deployment", "delete", "apps", "deployments", "", false),
            new Concern("pods/exec", "create", "", "pods", "exec", false),
            new Concern("pods/attach", "create", "", "pods", "attach", false),
            new Concern("pods/portforward", "create", "", "pods", "portforward", false),
            new Concern("pods/proxy", "get", "", "pods", "proxy", false),
            new Concern("services/proxy", "get", "", "services", "proxy", false),
            new Concern("creating a ClusterRoleBinding", "create", "rbac.authorization.k8s.io", "clusterrolebindings", "", false),
            new Concern("changing a Role", "patch", "rbac.authorization.k8s.io", "roles", "", false));

    private PolicyCoverage() {
    }

    static CheckItem check(Optional<AuditPolicy> policy, String problem, String user, List<String> groups) {
        if (policy.isEmpty()) {
            return new CheckItem(ID, TITLE, CheckItem.Status.FAIL, problem, "install a policy: kube-audit-agent setup (audit.policy: cis)");
        }
        List<String> unlogged = new ArrayList<>();
        List<String> leaking = new ArrayList<>();
        for (Concern c : CONCERNS) {
            AuditDecision d = PolicyChecker.decide(policy.get(), RequestAttributes.resource(user, groups, c.verb(), c.group(),
                    c.resource(), c.subresource(), "default", "x"));
            String rule = d.rule().map(r -> r.path() + " (line " + r.location().line() + ")").orElse("no rule");
            if (d.level() == AuditLevel.NONE || d.omitStages().contains(AuditStage.RESPONSE_COMPLETE)) {
                unlogged.add(c.what() + " (" + rule + ": " + (d.level() == AuditLevel.NONE ? "None" : "ResponseComplete omitted") + ")");
            } else if (c.metadataOnly() && d.level() != AuditLevel.METADATA) {
                leaking.add(c.what() + " (" + rule + ": " + d.level() + ")");
            }
        }
        if (unlogged.isEmpty() && leaking.isEmpty()) {
            return new CheckItem(ID, TITLE, CheckItem.Status.PASS, "all " + CONCERNS.size() + " kinds of request are logged; Secrets,"
                    + " ConfigMaps, TokenReviews and token requests at Metadata only", "");
        }
        List<String> found = new ArrayList<>();
        if (!unlogged.isEmpty()) {
            found.add("not logged: " + String.join(", ", unlogged));
        }
        if (!leaking.isEmpty()) {
            found.add("logged with bodies that hold credentials: " + String.join(", ", leaking));
        }
        return new CheckItem(ID, TITLE, CheckItem.Status.FAIL, String.join("; ", found), "add rules before the ones named: Metadata for"
                + " secrets, configmaps, tokenreviews and serviceaccounts/token, at least Metadata for the rest (policy show cis)");
    }
}
