package io.kubeaudit.sim;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The audit policy the stand-in server holds after loading (the internal audit.Policy), and its rule
 * evaluation as k8s.io/apiserver pkg/audit/policy/checker.go does it: the first matching rule decides;
 * the policy's omitStages are added to every rule's (NewPolicyRuleEvaluator); a rule's
 * omitManagedFields overrides the policy's; no match is level None with the policy's settings.
 */
record ServerPolicy(List<Rule> rules, Set<Stage> omitStages, boolean omitManagedFields, boolean groupWildcard) {

    enum Level {
        NONE("None"), METADATA("Metadata"), REQUEST("Request"), REQUEST_RESPONSE("RequestResponse");

        final String wire;

        Level(String wire) {
            this.wire = wire;
        }

        boolean atLeast(Level other) {
            return compareTo(other) >= 0;
        }

        static Optional<Level> parse(String s) {
            for (Level l : values()) {
                if (l.wire.equals(s)) {
                    return Optional.of(l);
                }
            }
            return Optional.empty();
        }
    }

    enum Stage {
        REQUEST_RECEIVED("RequestReceived"), RESPONSE_STARTED("ResponseStarted"), RESPONSE_COMPLETE("ResponseComplete"),
        PANIC("Panic");

        final String wire;

        Stage(String wire) {
            this.wire = wire;
        }

        static Optional<Stage> parse(String s) {
            for (Stage st : values()) {
                if (st.wire.equals(s)) {
                    return Optional.of(st);
                }
            }
            return Optional.empty();
        }
    }

    record GroupResources(String group, List<String> resources, List<String> resourceNames) {
    }

    /** @param omitManagedFields empty when the rule does not set it */
    record Rule(Level level, List<String> users, List<String> userGroups, List<String> verbs, List<GroupResources> resources,
                List<String> namespaces, List<String> nonResourceURLs, Set<Stage> omitStages, Optional<Boolean> omitManagedFields) {
    }

    /** RequestAuditConfig: what the audit pipeline does with one request. */
    record Decision(Level level, Set<Stage> omitStages, boolean omitManagedFields) {
        static final Decision NOTHING = new Decision(Level.NONE, Set.of(), false);
    }

    Decision evaluate(RequestInfo request) {
        for (Rule r : rules) {
            if (matches(r, request)) {
                Set<Stage> stages = EnumSet.noneOf(Stage.class);
                stages.addAll(omitStages);
                stages.addAll(r.omitStages());
                return new Decision(r.level(), stages, r.omitManagedFields().orElse(omitManagedFields));
            }
        }
        return new Decision(Level.NONE, omitStages, omitManagedFields);
    }

    private boolean matches(Rule r, RequestInfo req) {
        RequestInfo.UserInfo user = req.user();
        if (!r.users().isEmpty() && !r.users().contains(user.username())) {
            return false;
        }
        if (!r.userGroups().isEmpty() && user.groups().stream().noneMatch(r.userGroups()::contains)) {
            return false;
        }
        if (!r.verbs().isEmpty() && !r.verbs().contains(req.verb())) {
            return false;
        }
        if (!r.namespaces().isEmpty() || !r.resources().isEmpty()) {
            return matchesResource(r, req);
        }
        if (!r.nonResourceURLs().isEmpty()) {
            return !req.resourceRequest() && r.nonResourceURLs().stream().anyMatch(spec -> pathMatches(req.path(), spec));
        }
        return true;
    }

    private static boolean pathMatches(String path, String spec) {
        if (spec.equals("*") || spec.equals(path)) {
            return true;
        }
        return spec.endsWith("*") && path.startsWith(spec.replaceAll("\\*+$", ""));
    }

    private boolean matchesResource(Rule r, RequestInfo req) {
        if (!req.resourceRequest()) {
            return false;
        }
        if (!r.namespaces().isEmpty() && !r.namespaces().contains(req.namespace())) {
            return false;
        }
        if (r.resources().isEmpty()) {
            return true;
        }
        String sub = req.subresource();
        String combined = sub.isEmpty() ? req.resource() : req.resource() + "/" + sub;
        for (GroupResources gr : r.resources()) {
            if (!gr.group().equals(req.apiGroup()) && !(groupWildcard && gr.group().equals("*"))) {
                continue;
            }
            if (gr.resources().isEmpty()) {
                return true;
            }
            for (String res : gr.resources()) {
                if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(req.name())) {
                    continue;
                }
                if (res.equals(combined) || res.equals("*")
                        || !sub.isEmpty() && res.startsWith("*/") && sub.equals(res.substring(2))
                        || res.endsWith("/*") && req.resource().equals(res.substring(0, res.length() - 2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
