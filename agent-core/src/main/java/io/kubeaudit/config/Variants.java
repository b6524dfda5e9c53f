package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlMapping;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A mapping whose settings depend on one of them (the discriminator, e.g. a destination's {@code type}):
 * each variant contributes its own table, with its own settings and rules, and builds its own record.
 * Settings every variant has (a destination's {@code name}) are the same {@link Setting} in each table.
 */
public final class Variants<T> implements SettingType<T> {

    private final Setting<String> discriminator;
    private final Map<String, Section<? extends T>> variants;
    private final List<String> planned;

    private Variants(Setting<String> discriminator, Map<String, Section<? extends T>> variants, List<String> planned) {
        this.discriminator = discriminator;
        this.variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
        this.planned = List.copyOf(planned);
    }

    public static <T> Variants<T> of(Setting<String> discriminator) {
        return new Variants<>(discriminator, new LinkedHashMap<>(), List.of());
    }

    /** The same variants, and names of variants not built yet: a value naming one is refused with that reason. */
    public Variants<T> planned(String... names) {
        return new Variants<>(discriminator, variants, List.of(names));
    }

    /** The names of the variants not built yet. */
    public List<String> planned() {
        return planned;
    }

    /** The same variants and one more: {@code name} is the discriminator's value that selects {@code table}. */
    public Variants<T> with(String name, Section<? extends T> table) {
        if (table.settings().stream().noneMatch(s -> s == discriminator)) {
            throw new IllegalArgumentException("the table of variant \"" + name + "\" lacks the setting \"" + discriminator.key() + "\"");
        }
        Map<String, Section<? extends T>> all = new LinkedHashMap<>(variants);
        all.put(name, table);
        return new Variants<>(discriminator, all, planned.stream().filter(p -> !p.equals(name)).toList());
    }

    public Setting<String> discriminator() {
        return discriminator;
    }

    /** The variants' names, in the order they were declared. */
    public List<String> names() {
        return List.copyOf(variants.keySet());
    }

    public Section<? extends T> table(String name) {
        return variants.get(name);
    }

    @Override
    public T read(String file, String path, Node node) throws InvalidInputException {
        YamlMapping m = YamlMapping.of(file, path, node);
        String key = discriminator.key();
        String name = m.string(key).orElseThrow(() -> m.error(m.node(), m.child(key) + " is required"));
        Section<? extends T> table = variants.get(name);
        if (table == null && planned.contains(name)) {
            throw m.error(m.value(key).orElseThrow(), m.child(key) + " \"" + name + "\" is not built into this version of the agent yet;"
                    + " the types it has: " + String.join(", ", names()));
        }
        if (table == null) {
            throw m.error(m.value(key).orElseThrow(), m.child(key) + " \"" + name + "\" is not one of " + names());
        }
        return table.read(m);
    }

    @Override
    public String describe() {
        return "mapping (by " + discriminator.key() + ")";
    }

    @Override
    public String format(T value) {
        return String.valueOf(value);
    }
}
