package io.kubeaudit.policy;

import java.util.Optional;

/**
 * Picks the audit level of a request exactly as kube-apiserver does: the first matching rule
 * wins; no match means level None. Selector lists are matched literally ("*" is a wildcard only
 * in resources and non-resource URLs).
 */
public final class PolicyChecker {

    private PolicyChecker() {
    }

    public static AuditDecision decide(AuditPolicy policy, RequestAttributes request) {
        for (PolicyRule rule : policy.rules()) {
            if (matches(rule, request)) {
                return new AuditDecision(rule.level(), policy.effectiveOmitStages(rule), Optional.of(rule));
            }
        }
        return new AuditDecision(AuditLevel.NONE, policy.omitStages(), Optional.empty());
    }

    static boolean matches(PolicyRule rule, RequestAttributes request) {
        if (!rule.users().isEmpty() && !rule.users().contains(request.user())) {
            return false;
        }
        if (!rule.userGroups().isEmpty() && request.groups().stream().noneMatch(rule.userGroups()::contains)) {
            return false;
        }
        if (!rule.verbs().isEmpty() && !rule.verbs().contains(request.verb())) {
            return false;
        }
        if (rule.selectsResources()) {
            return request.resourceRequest() && matchesResource(rule, request);
        }
        if (rule.selectsNonResourceURLs()) {
            return !request.resourceRequest() && rule.nonResourceURLs().stream().anyMatch(spec -> pathMatches(request.path(), spec));
        }
        return true;
    }

    private static boolean matchesResource(PolicyRule rule, RequestAttributes request) {
        if (!rule.namespaces().isEmpty() && !rule.namespaces().contains(request.namespace())) {
            return false;
        }
        if (rule.resources().isEmpty()) {
            return true;
        }
        String combined = request.subresource().isEmpty() ? request.resource() : request.resource() + "/" + request.subresource();
        for (GroupResources gr : rule.resources()) {
            // "*" passes validation only for servers that match it (1.36 and newer).
            if (!gr.group().equals(request.apiGroup()) && !gr.group().equals("*")) {
                continue;
            }
            if (gr.isWholeGroup()) {
                return true;
            }
            if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(request.name())) {
                continue;
            }
            if (gr.resources().stream().anyMatch(pattern -> resourceMatches(pattern, request.resource(), request.subresource(), combined))) {
                return true;
            }
        }
        return false;
    }

    /** {@code *}, {@code pods}, {@code pods/log}, {@code pods/*} (pods and all its subresources), {@code *}{@code /scale}. */
    public static boolean resourceMatches(String pattern, String resource, String subresource, String combined) {
        if (pattern.equals("*") || pattern.equals(combined)) {
            return true;
        }
        if (!subresource.isEmpty() && pattern.startsWith("*/") && subresource.equals(pattern.substring(2))) {
            return true;
        }
        return pattern.endsWith("/*") && resource.equals(pattern.substring(0, pattern.length() - 2));
    }

    /** {@code *} matches all, a trailing {@code *} matches by prefix, anything else exactly. */
    static boolean pathMatches(String path, String spec) {
        if (spec.equals("*") || spec.equals(path)) {
            return true;
        }
        return spec.endsWith("*") && path.startsWith(stripTrailingStars(spec));
    }

    static String stripTrailingStars(String spec) {
        int end = spec.length();
        while (end > 0 && spec.charAt(end - 1) == '*') {
            end--;
        }
        return spec.substring(0, end);
    }
}
