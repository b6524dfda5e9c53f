package io.kubeaudit.policy;

import java.util.List;

/**
 * Reasoning about which requests a rule can select, without a request in hand: whether one rule
 * selects everything another does (so the later one never wins), and whether a rule can select,
 * or selects every request to, a given resource. Follows {@link PolicyChecker}'s matching.
 */
final class RuleCoverage {

    private RuleCoverage() {
    }

    /** Every request {@code later} would match is matched by {@code earlier} too. */
    static boolean covers(PolicyRule earlier, PolicyRule later) {
        if (!narrowsTo(earlier.users(), later.users()) || !narrowsTo(earlier.userGroups(), later.userGroups())
                || !narrowsTo(earlier.verbs(), later.verbs())) {
            return false;
        }
        if (earlier.selectsNonResourceURLs()) {
            return later.selectsNonResourceURLs() && later.nonResourceURLs().stream()
                    .allMatch(url -> earlier.nonResourceURLs().stream().anyMatch(spec -> urlPatternCovers(spec, url)));
        }
        if (earlier.selectsResources()) {
            return later.selectsResources() && narrowsTo(earlier.namespaces(), later.namespaces())
                    && resourcesCover(earlier.resources(), later.resources());
        }
        return true;
    }

    /** {@code rule} can select at least one request to {@code group}/{@code resource} ("serviceaccounts/token" style). */
    static boolean mayMatch(PolicyRule rule, String group, String resource) {
        if (rule.selectsNonResourceURLs()) {
            return false;
        }
        return rule.resources().isEmpty() || rule.resources().stream().anyMatch(gr -> gr.group().equals(group)
                && (gr.isWholeGroup() || gr.resources().stream().anyMatch(p -> selects(p, resource))));
    }

    /** {@code rule} selects every request to {@code group}/{@code resource}, whoever sends it, whatever the verb or namespace. */
    static boolean matchesEveryRequestTo(PolicyRule rule, String group, String resource) {
        if (!rule.users().isEmpty() || !rule.userGroups().isEmpty() || !rule.verbs().isEmpty() || !rule.namespaces().isEmpty()
                || rule.selectsNonResourceURLs()) {
            return false;
        }
        return rule.resources().isEmpty() || rule.resources().stream().anyMatch(gr -> gr.group().equals(group)
                && (gr.isWholeGroup() || gr.resourceNames().isEmpty() && gr.resources().stream().anyMatch(p -> selects(p, resource))));
    }

    /** How {@code rule} reaches {@code group}/{@code resource}, for messages. */
    static String how(PolicyRule rule, String group, String resource) {
        if (rule.resources().isEmpty()) {
            return rule.isCatchAll() ? "as its catch-all rule" : "because the rule names no resources";
        }
        for (GroupResources gr : rule.resources()) {
            if (!gr.group().equals(group)) {
                continue;
            }
            if (gr.isWholeGroup()) {
                return "through the whole group \"" + group + "\"";
            }
            for (String p : gr.resources()) {
                if (selects(p, resource)) {
                    return p.equals(resource) ? "" : "through \"" + p + "\"";
                }
            }
        }
        return "";
    }

    /** A resource pattern selects a concrete resource ("secrets", "serviceaccounts/token"). */
    static boolean selects(String pattern, String resource) {
        int slash = resource.indexOf('/');
        String base = slash < 0 ? resource : resource.substring(0, slash);
        String sub = slash < 0 ? "" : resource.substring(slash + 1);
        return PolicyChecker.resourceMatches(pattern, base, sub, resource);
    }

    /** An empty selector means "any"; otherwise the later list must be non-empty and within the earlier one. */
    private static boolean narrowsTo(List<String> earlier, List<String> later) {
        return earlier.isEmpty() || !later.isEmpty() && earlier.containsAll(later);
    }

    private static boolean resourcesCover(List<GroupResources> earlier, List<GroupResources> later) {
        if (earlier.isEmpty()) {
            return true;
        }
        if (later.isEmpty()) {
            return false;
        }
        return later.stream().allMatch(l -> entryCovered(earlier, l));
    }

    private static boolean entryCovered(List<GroupResources> earlier, GroupResources later) {
        if (later.isWholeGroup()) {
            return earlier.stream().anyMatch(e -> e.group().equals(later.group())
                    && (e.isWholeGroup() || e.resourceNames().isEmpty() && e.resources().contains("*")));
        }
        return later.resources().stream().allMatch(resource -> earlier.stream().anyMatch(e -> e.group().equals(later.group())
                && (e.isWholeGroup() || narrowsTo(e.resourceNames(), later.resourceNames())
                && e.resources().stream().anyMatch(p -> patternCovers(p, resource)))));
    }

    /** Resource pattern {@code p} selects everything pattern {@code q} selects. */
    static boolean patternCovers(String p, String q) {
        if (p.equals("*") || p.equals(q)) {
            return true;
        }
        if (p.endsWith("/*")) {
            String base = p.substring(0, p.length() - 2);
            return q.equals(base) || q.startsWith(base + "/");
        }
        if (p.startsWith("*/")) {
            return q.endsWith(p.substring(1)) && q.indexOf('/') == q.lastIndexOf('/') && q.indexOf('/') > 0;
        }
        return false;
    }

    /** Non-resource URL pattern {@code p} selects everything {@code q} selects. */
    static boolean urlPatternCovers(String p, String q) {
        if (p.equals("*") || p.equals(q)) {
            return true;
        }
        return p.endsWith("*") && !q.equals("*") && q.startsWith(PolicyChecker.stripTrailingStars(p));
    }
}
