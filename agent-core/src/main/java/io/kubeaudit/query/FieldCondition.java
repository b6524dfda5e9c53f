package io.kubeaudit.query;

import java.util.List;
import java.util.Optional;

/**
 * One field's part of a filter: an event passes when one of its values matches one of {@code include}
 * (or {@code include} is empty) and none of them matches any of {@code exclude}.
 */
record FieldCondition(Field field, List<ValueMatcher> include, List<ValueMatcher> exclude) {

    FieldCondition {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    boolean matches(AuditEvent event) {
        if (!include.isEmpty() && field.values(event).noneMatch(v -> include.stream().anyMatch(m -> m.matches(v)))) {
            return false;
        }
        return exclude.isEmpty() || field.values(event).noneMatch(v -> exclude.stream().anyMatch(m -> m.matches(v)));
    }

    /** One needle per included value, any of which a matching line holds; empty when some value has none. */
    Optional<List<Needle>> needles() {
        if (include.isEmpty()) {
            return Optional.empty();
        }
        List<Needle> needles = include.stream().flatMap(m -> m.needle().stream()).toList();
        return needles.size() == include.size() ? Optional.of(needles) : Optional.empty();
    }
}
