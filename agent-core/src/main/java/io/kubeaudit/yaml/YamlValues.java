package io.kubeaudit.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reading of one value node (present and not null): a value of the wrong type is an error naming
 * {@code path} (the dotted setting or field name) at the node's position. {@link YamlMapping} reads its
 * keys through these, and so does the settings table.
 */
public final class YamlValues {

    private YamlValues() {
    }

    public static String string(String file, String path, Node value) throws InvalidInputException {
        if (!(value instanceof ScalarNode s)) {
            throw error(file, value, path + " must be a string, found " + YamlMapping.describe(value));
        }
        return s.getValue();
    }

    private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "on", "y");

    public static boolean bool(String file, String path, Node value) throws InvalidInputException {
        if (value instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
            // SnakeYAML types yes/no and on/off as booleans too (YAML 1.1): "yes" must not read as false.
            return TRUE_WORDS.contains(s.getValue().toLowerCase(Locale.ROOT));
        }
        throw error(file, value, path + " must be true or false, found " + YamlMapping.describe(value));
    }

    public static long integer(String file, String path, Node value) throws InvalidInputException {
        if (value instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
            try {
                return Long.parseLong(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                throw error(file, value, path + " is out of range: " + s.getValue());
            }
        }
        throw error(file, value, path + " must be a whole number, found " + YamlMapping.describe(value));
    }

    /** A list of plain strings; a single string is an error, as the API server's decoder would say. */
    public static List<String> strings(String file, String path, Node value) throws InvalidInputException {
        List<String> out = new ArrayList<>();
        for (Node item : sequence(file, path, value)) {
            if (!(item instanceof ScalarNode s) || YamlMapping.isNull(item)) {
                throw error(file, item, path + " must hold strings, found " + YamlMapping.describe(item));
            }
            out.add(s.getValue());
        }
        return out;
    }

    public static List<Node> sequence(String file, String path, Node value) throws InvalidInputException {
        if (!(value instanceof SequenceNode seq)) {
            throw error(file, value, path + " must be a list, found " + YamlMapping.describe(value));
        }
        return seq.getValue();
    }

    private static InvalidInputException error(String file, Node at, String problem) {
        return new InvalidInputException(SourceLocation.of(file, at), problem);
    }
}
