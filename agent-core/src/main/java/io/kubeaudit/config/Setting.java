package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One row of a settings table: key, type, default (none: the setting is required), what it means, and
 * the rules a value must meet. Like a row of Fluent Bit's config map it is the only place a setting is
 * described: the loader reads by it, and {@code --help} and docs/configuration.md are printed from it.
 * Immutable; {@link #check} and {@link #shownAs} return a new row.
 */
public final class Setting<T> {

    private final String key;
    private final SettingType<T> type;
    private final Optional<T> defaultValue;
    private final Optional<String> shownDefault;
    private final String description;
    private final List<Check<T>> checks;

    private Setting(String key, SettingType<T> type, Optional<T> defaultValue, Optional<String> shownDefault,
                    String description, List<Check<T>> checks) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.shownDefault = shownDefault;
        this.description = Objects.requireNonNull(description, "description");
        this.checks = List.copyOf(checks);
    }

    public static <T> Setting<T> of(String key, SettingType<T> type, T defaultValue, String description) {
        return new Setting<>(key, type, Optional.of(defaultValue), Optional.empty(), description, List.of());
    }

    public static <T> Setting<T> required(String key, SettingType<T> type, String description) {
        return new Setting<>(key, type, Optional.empty(), Optional.empty(), description, List.of());
    }

    /** A nested mapping: its own table, defaulting to that table's defaults. */
    public static <T> Setting<T> section(String key, Section<T> section) {
        return of(key, section, section.defaults(), section.description());
    }

    /** The same row with one more rule; the error is "{name} {rule}". */
    public Setting<T> check(Predicate<T> holds, String rule) {
        return withCheck(Check.of(holds, rule));
    }

    /** The same row with one more rule whose error {@code message} (given the name and the value) says more than the rule. */
    public Setting<T> check(Predicate<T> holds, String rule, BiFunction<String, T, String> message) {
        return withCheck(new Check<>(holds, rule, message));
    }

    /** The same row with one more rule about the value's spelling; the error is "{name} "{value}" {rule}". */
    public Setting<T> checkNaming(Predicate<T> holds, String rule) {
        return withCheck(Check.naming(holds, rule));
    }

    /** The same row with the default described in words where its value says little ("" meaning "the host name"). */
    public Setting<T> shownAs(String defaultInWords) {
        return new Setting<>(key, type, defaultValue, Optional.of(defaultInWords), description, checks);
    }

    private Setting<T> withCheck(Check<T> check) {
        List<Check<T>> all = new ArrayList<>(checks);
        all.add(check);
        return new Setting<>(key, type, defaultValue, shownDefault, description, all);
    }

    public String key() {
        return key;
    }

    public SettingType<T> type() {
        return type;
    }

    public boolean isRequired() {
        return defaultValue.isEmpty();
    }

    /** The default; only for a setting that is not required. */
    public T defaultValue() {
        return defaultValue.orElseThrow(() -> new IllegalStateException(key + " is required and has no default"));
    }

    /** The default in words, where its value says little ("" standing for "the host name"). */
    public Optional<String> defaultInWords() {
        return shownDefault;
    }

    /** The default as {@code --help} shows it: in words, or as written in the file, or "required". */
    public String shownDefault() {
        return shownDefault.orElseGet(() -> defaultValue.map(type::format).orElse("required"));
    }

    public String description() {
        return description;
    }

    /** Every rule a value must meet, the type's first, as the reference states them. */
    public List<String> rules() {
        List<String> rules = new ArrayList<>();
        if (!type.rule().isEmpty()) {
            rules.add(type.rule());
        }
        checks.forEach(c -> rules.add(c.rule()));
        return rules;
    }

    /** This setting's value in {@code m}: the default when absent or null, else the value, type-checked and checked. */
    T read(YamlMapping m) throws InvalidInputException {
        Optional<Node> node = m.value(key);
        if (node.isEmpty()) {
            if (isRequired()) {
                throw m.error(m.node(), m.child(key) + " is required");
            }
            return defaultValue.get();
        }
        T value = type.read(m.file(), m.child(key), node.get());
        for (Check<T> c : checks) {
            if (!c.holds().test(value)) {
                throw m.error(node.get(), c.message().apply(m.child(key), value));
            }
        }
        return value;
    }
}
