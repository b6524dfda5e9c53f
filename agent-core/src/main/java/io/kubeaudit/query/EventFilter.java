package io.kubeaudit.query;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which events a query wants: every field condition and the time range must hold. Conditions on
 * different fields combine with "and", values of one field with "or"; a value list starting with
 * {@code !} is one the field must not have.
 */
public final class EventFilter {

    private final List<FieldCondition> conditions;
    private final TimeRange time;

    private EventFilter(List<FieldCondition> conditions, TimeRange time) {
        this.conditions = List.copyOf(conditions);
        this.time = time;
    }

    public static EventFilter everything() {
        return new EventFilter(List.of(), TimeRange.ALWAYS);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean matches(AuditEvent event) {
        if (!time.contains(event)) {
            return false;
        }
        for (FieldCondition c : conditions) {
            if (!c.matches(event)) {
                return false;
            }
        }
        return true;
    }

    public TimeRange time() {
        return time;
    }

    /** The pre-filter for this filter: the needles every matching line must hold. */
    Prefilter prefilter() {
        List<List<Needle>> groups = new ArrayList<>();
        for (FieldCondition c : conditions) {
            c.needles().ifPresent(groups::add);
        }
        return new Prefilter(groups);
    }

    public static final class Builder {
        private final Map<Field, List<ValueMatcher>> include = new EnumMap<>(Field.class);
        private final Map<Field, List<ValueMatcher>> exclude = new EnumMap<>(Field.class);
        private TimeRange time = TimeRange.ALWAYS;

        private Builder() {
        }

        /**
         * One occurrence of a filter option: values separated by commas (except for user agents), the
         * whole list negated by a leading {@code !}. Repeated options add up.
         */
        public Builder add(Field field, String optionValue) throws InvalidFilterException {
            boolean negated = optionValue.startsWith("!");
            String list = negated ? optionValue.substring(1) : optionValue;
            List<String> values = field.splitsAtCommas() ? List.of(list.split(",", -1)) : List.of(list);
            for (String value : values) {
                (negated ? exclude : include).computeIfAbsent(field, f -> new ArrayList<>()).add(field.parse(value.strip()));
            }
            return this;
        }

        public Builder time(TimeRange range) {
            this.time = range;
            return this;
        }

        public EventFilter build() {
            List<FieldCondition> conditions = new ArrayList<>();
            for (Field f : Field.values()) {
                List<ValueMatcher> in = include.getOrDefault(f, List.of());
                List<ValueMatcher> out = exclude.getOrDefault(f, List.of());
                if (!in.isEmpty() || !out.isEmpty()) {
                    conditions.add(new FieldCondition(f, in, out));
                }
            }
            return new EventFilter(conditions, time);
        }
    }
}
