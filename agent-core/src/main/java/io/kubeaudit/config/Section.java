package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A settings table: the settings of one mapping of the config file, the rules that span several of
 * them, and how their values become the section's record. Every part of the config is one section
 * (nested sections are settings whose type is a section), so the loader, {@code --help} and
 * docs/configuration.md all walk the same tree.
 */
public final class Section<T> implements SettingType<T> {

    /** A rule across settings, checked before the record is built; reported at {@code at}'s value, else the mapping. */
    private record Rule(Predicate<Values> holds, Optional<Setting<?>> at, String rule, BiFunction<String, Values, String> message) {
    }

    private final String name;
    private final String description;
    private final List<Setting<?>> settings;
    private final Function<Values, T> binder;
    private final List<Rule> rules;
    private final Optional<T> defaults;

    private Section(String name, String description, List<Setting<?>> settings, Function<Values, T> binder, List<Rule> rules) {
        this.name = name;
        this.description = description;
        this.settings = List.copyOf(settings);
        this.binder = binder;
        this.rules = List.copyOf(rules);
        this.defaults = this.settings.stream().anyMatch(Setting::isRequired) ? Optional.empty() : Optional.of(binder.apply(defaultValues()));
    }

    /**
     * @param name        the section's dotted name in the config ("ship.batch"; "" for the top level;
     *                    "ship.destinations[]" for list items), used by {@code --help} and the reference
     * @param description what the section is about, one sentence
     * @param binder      builds the record from the values
     */
    public static <T> Section<T> of(String name, String description, Function<Values, T> binder, Setting<?>... settings) {
        return new Section<>(name, description, List.of(settings), binder, List.of());
    }

    /**
     * The same table with a rule across settings: {@code message} gets the mapping's path and the values
     * and says what is wrong; the error points at {@code at}'s value when the file sets it.
     */
    public Section<T> rule(Predicate<Values> holds, Setting<?> at, String rule, BiFunction<String, Values, String> message) {
        return withRule(new Rule(holds, Optional.of(at), rule, message));
    }

    /** As {@link #rule(Predicate, Setting, String, BiFunction)}, the error pointing at the mapping itself. */
    public Section<T> rule(Predicate<Values> holds, String rule, BiFunction<String, Values, String> message) {
        return withRule(new Rule(holds, Optional.empty(), rule, message));
    }

    private Section<T> withRule(Rule r) {
        List<Rule> all = new ArrayList<>(rules);
        all.add(r);
        return new Section<>(name, description, settings, binder, all);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<Setting<?>> settings() {
        return settings;
    }

    /** The rules across settings, as the reference states them. */
    public List<String> rules() {
        return rules.stream().map(Rule::rule).toList();
    }

    /** The dotted name of one of this section's settings ("setup.lease.duration"), for messages and help. */
    public String nameOf(Setting<?> setting) {
        if (settings.stream().noneMatch(s -> s == setting)) {
            throw new IllegalArgumentException("setting \"" + setting.key() + "\" is not in section \"" + name + "\"");
        }
        return name.isEmpty() ? setting.key() : name + "." + setting.key();
    }

    /** The record with every setting at its default. */
    public T defaults() {
        return defaults.orElseThrow(() -> new IllegalStateException("section \"" + name + "\" has required settings"));
    }

    /** Reads {@code m} strictly: every key must be a setting of this table; absent settings take their defaults. */
    public T read(YamlMapping m) throws InvalidInputException {
        Values values = new Values();
        for (Setting<?> s : settings) {
            readInto(values, s, m);
        }
        m.finish();
        for (Rule r : rules) {
            if (!r.holds().test(values)) {
                Node at = r.at().flatMap(s -> m.value(s.key())).orElse(m.node());
                throw m.error(at, r.message().apply(m.path(), values));
            }
        }
        return binder.apply(values);
    }

    private static <V> void readInto(Values values, Setting<V> setting, YamlMapping m) throws InvalidInputException {
        values.put(setting, setting.read(m));
    }

    @Override
    public T read(String file, String path, Node node) throws InvalidInputException {
        return read(YamlMapping.of(file, path, node));
    }

    @Override
    public String describe() {
        return "mapping";
    }

    @Override
    public String format(T value) {
        return "(" + (name.isEmpty() ? "below" : name) + ")";
    }

    private Values defaultValues() {
        Values values = new Values();
        settings.forEach(s -> putDefault(values, s));
        return values;
    }

    private static <V> void putDefault(Values values, Setting<V> setting) {
        values.put(setting, setting.defaultValue());
    }
}
