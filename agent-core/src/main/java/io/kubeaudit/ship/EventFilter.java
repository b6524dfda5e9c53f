package io.kubeaudit.ship;

import io.kubeaudit.config.FilterConfig;
import io.kubeaudit.config.FilterConfig.Resources;
import io.kubeaudit.config.FilterConfig.Rule;
import io.kubeaudit.policy.PolicyChecker;
import io.kubeaudit.ship.sink.AuditFields;
import java.util.List;

/** A destination's {@link FilterConfig} applied to an event's fields. */
final class EventFilter {

    private final FilterConfig config;

    EventFilter(FilterConfig config) {
        this.config = config;
    }

    /** False when every event passes: nothing needs to be read for it. */
    boolean isActive() {
        return !config.isEverything();
    }

    boolean accepts(AuditFields e) {
        if (!config.include().isEmpty() && config.include().stream().noneMatch(r -> matches(r, e))) {
            return false;
        }
        return config.exclude().stream().noneMatch(r -> matches(r, e));
    }

    static boolean matches(Rule r, AuditFields e) {
        return any(r.levels(), e.level()) && any(r.stages(), e.stage()) && any(r.verbs(), e.verb()) && any(r.users(), e.username())
                && (r.groups().isEmpty() || e.groups().stream().anyMatch(g -> any(r.groups(), g)))
                && any(r.namespaces(), e.namespace())
                && (r.resources().isEmpty() || r.resources().stream().anyMatch(res -> matches(res, e)))
                && (r.codes().isEmpty() || r.codes().stream().anyMatch(c -> matchesCode(c, e.code())));
    }

    private static boolean matches(Resources r, AuditFields e) {
        if (!name(r.group(), e.apiGroup()) || e.resource().isEmpty()) {
            return false;
        }
        if (r.resources().isEmpty()) {
            return true;
        }
        String combined = e.subresource().isEmpty() ? e.resource() : e.resource() + "/" + e.subresource();
        // The audit policy's own rule, so a filter names resources exactly as the policy does.
        return r.resources().stream().anyMatch(pattern -> PolicyChecker.resourceMatches(pattern, e.resource(), e.subresource(), combined));
    }

    /** An empty list matches anything; otherwise one of its names must. */
    private static boolean any(List<String> patterns, String value) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (String p : patterns) {
            if (name(p, value)) {
                return true;
            }
        }
        return false;
    }

    /** {@code *}: anything; {@code prefix*}: what starts with it; otherwise exactly. */
    static boolean name(String pattern, String value) {
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(value);
    }

    /** {@code 404} exactly, or {@code 4xx} for the class; an event without a code (RequestReceived) matches neither. */
    static boolean matchesCode(String pattern, int code) {
        if (code == 0) {
            return false;
        }
        if (pattern.length() == 3 && pattern.endsWith("xx")) {
            return code / 100 == pattern.charAt(0) - '0';
        }
        return Integer.toString(code).equals(pattern);
    }
}
