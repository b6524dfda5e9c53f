package io.kubeaudit.config;

import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A rule one setting's value must meet, beyond its type (the column "validation" of the settings table).
 *
 * @param holds   whether a value meets it
 * @param rule    the rule as the reference states it ("at least 1s")
 * @param message the error for a value that does not, given the setting's dotted name and the value
 */
record Check<T>(Predicate<T> holds, String rule, BiFunction<String, T, String> message) {

    /** "{name} {rule}", e.g. "setup.reconcileInterval must be at least 1s". */
    static <T> Check<T> of(Predicate<T> holds, String rule) {
        return new Check<>(holds, rule, (name, value) -> name + " " + rule);
    }

    /** "{name} "{value}" {rule}", for rules about the value's spelling. */
    static <T> Check<T> naming(Predicate<T> holds, String rule) {
        return new Check<>(holds, rule, (name, value) -> name + " \"" + value + "\" " + rule);
    }
}
