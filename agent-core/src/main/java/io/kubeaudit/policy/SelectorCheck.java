package io.kubeaudit.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Selector values that can never match a request: a "*" where the API server compares literally
 * (users, groups, verbs, namespaces, names; misplaced in resources), and verbs no request carries
 * (RBAC-only verbs such as "bind", capitalised verbs).
 */
final class SelectorCheck implements LintCheck {

    /** Verbs of resource requests, and lower-case HTTP methods of non-resource requests. */
    private static final Set<String> REQUEST_VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete",
            "deletecollection", "post", "put", "head", "options");
    private static final Set<String> AUTHORIZATION_VERBS = Set.of("bind", "escalate", "impersonate", "use", "approve", "sign",
            "attest", "proxy");

    @Override
    public List<LintFinding> check(AuditPolicy policy) {
        List<LintFinding> out = new ArrayList<>();
        for (PolicyRule rule : policy.rules()) {
            Map<String, List<String>> literal = Map.of("users", rule.users(), "userGroups", rule.userGroups(), "verbs",
                    rule.verbs(), "namespaces", rule.namespaces());
            for (String field : List.of("users", "userGroups", "verbs", "namespaces")) {
                for (String value : literal.get(field)) {
                    if (value.contains("*")) {
                        out.add(literalWildcard(rule, rule.path() + "." + field, value, "leave " + field + " out to select every value"));
                    }
                }
            }
            for (String verb : rule.verbs()) {
                if (!verb.contains("*") && !REQUEST_VERBS.contains(verb)) {
                    out.add(unknownVerb(rule, verb));
                }
            }
            for (int i = 0; i < rule.resources().size(); i++) {
                GroupResources gr = rule.resources().get(i);
                String path = rule.path() + ".resources[" + i + "]";
                for (String name : gr.resourceNames()) {
                    if (name.contains("*")) {
                        out.add(literalWildcard(rule, path + ".resourceNames", name, "leave resourceNames out to select every name"));
                    }
                }
                for (String resource : gr.resources()) {
                    if (!isResourcePattern(resource)) {
                        out.add(literalWildcard(rule, path + ".resources", resource,
                                "wildcards are only \"*\", \"pods/*\" (a resource and its subresources) and \"*/scale\""));
                    }
                }
            }
        }
        return out;
    }

    /** A valid resource pattern: "*", "pods", "pods/log", "pods/*" or "*" + "/scale"; no other "*", at most one "/". */
    static boolean isResourcePattern(String resource) {
        if (resource.equals("*")) {
            return true;
        }
        String[] parts = resource.split("/", -1);
        if (parts.length > 2 || parts[0].isEmpty()) {
            return false;
        }
        if (parts.length == 1) {
            return !parts[0].contains("*");
        }
        boolean baseStar = parts[0].equals("*");
        boolean subStar = parts[1].equals("*");
        return !parts[1].isEmpty() && !(baseStar && subStar)
                && (baseStar || !parts[0].contains("*")) && (subStar || !parts[1].contains("*"));
    }

    private static LintFinding literalWildcard(PolicyRule rule, String path, String value, String fix) {
        return new LintFinding("literal-wildcard", rule.location(),
                path + " \"" + value + "\" never matches: the API server compares it literally, \"*\" is no wildcard here",
                "Audit policies are not RBAC rules: " + fix + ".");
    }

    private static LintFinding unknownVerb(PolicyRule rule, String verb) {
        String why = AUTHORIZATION_VERBS.contains(verb)
                ? "\"" + verb + "\" is an authorization check made inside the API server, never the verb of a request"
                : "requests carry lower-case verbs: get, list, watch, create, update, patch, delete, deletecollection"
                        + " (and get, post, put, patch, delete, head, options for non-resource URLs)";
        return new LintFinding("unknown-verb", rule.location(),
                rule.path() + ".verbs \"" + verb + "\" matches no request" + Suggestions.hint(verb, REQUEST_VERBS),
                "Verbs are compared exactly: " + why + ". Fix or remove it.");
    }
}
