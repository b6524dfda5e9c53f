package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * How one kind of setting is read from its YAML node and written back (the column "type" of the
 * settings table). {@link Types} has the plain ones; a {@link Section} is the type of a nested
 * mapping, {@link ListType} of a list, {@link Variants} of a mapping whose settings depend on its type.
 */
public interface SettingType<T> {

    /**
     * The value at {@code node} (present and not null); a value of the wrong type or outside the type's
     * rule is an error naming {@code path} (the setting's dotted name) at the node's position.
     */
    T read(String file, String path, Node node) throws InvalidInputException;

    /** The type as the reference and {@code --help} name it ("duration", "integer", ...). */
    String describe();

    /** What every value of this type must meet beyond its type ("1 to 64"); empty when nothing. */
    default String rule() {
        return "";
    }

    /** {@code value} as it would be written in the config file. */
    String format(T value);
}
