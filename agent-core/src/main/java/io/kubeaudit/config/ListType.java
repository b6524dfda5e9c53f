package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.Node;

/** A list of items of one type, optionally with an identity that must be unique across the items. */
public final class ListType<T> implements SettingType<List<T>> {

    private record Uniqueness<T>(Function<T, String> identity, Function<String, String> message, String rule) {
    }

    private final SettingType<T> item;
    private final Optional<Uniqueness<T>> uniqueness;

    private ListType(SettingType<T> item, Optional<Uniqueness<T>> uniqueness) {
        this.item = item;
        this.uniqueness = uniqueness;
    }

    public static <T> ListType<T> of(SettingType<T> item) {
        return new ListType<>(item, Optional.empty());
    }

    /** The same list whose items' {@code identity} must differ; {@code message} gets the repeated identity. */
    public ListType<T> unique(Function<T, String> identity, String rule, Function<String, String> message) {
        return new ListType<>(item, Optional.of(new Uniqueness<>(identity, message, rule)));
    }

    public SettingType<T> item() {
        return item;
    }

    @Override
    public List<T> read(String file, String path, Node node) throws InvalidInputException {
        List<T> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node n : YamlValues.sequence(file, path, node)) {
            T value = item.read(file, path + "[" + out.size() + "]", n);
            if (uniqueness.isPresent() && !seen.add(uniqueness.get().identity().apply(value))) {
                throw new InvalidInputException(SourceLocation.of(file, n),
                        uniqueness.get().message().apply(uniqueness.get().identity().apply(value)));
            }
            out.add(value);
        }
        return List.copyOf(out);
    }

    @Override
    public String describe() {
        return "list of " + item.describe();
    }

    @Override
    public String rule() {
        return uniqueness.map(Uniqueness::rule).orElse("");
    }

    @Override
    public String format(List<T> value) {
        return value.isEmpty() ? "[]" : value.stream().map(item::format).toList().toString();
    }
}
