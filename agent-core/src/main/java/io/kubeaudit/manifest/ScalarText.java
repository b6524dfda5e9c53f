package io.kubeaudit.manifest;

import java.util.Set;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes a string as a YAML scalar that reads back as that same string, both for SnakeYAML and for
 * the kubelet's YAML 1.1 decoder (which also takes y/n as booleans): plain when that is unambiguous
 * in block and flow context alike (so no commas or brackets), quoted otherwise.
 */
final class ScalarText {

    private static final Resolver RESOLVER = new Resolver();
    private static final Set<String> GO_YAML_BOOLEANS = Set.of("y", "Y", "n", "N");
    private static final String SAFE_PUNCTUATION = "-_./=:@+%~;()^";

    private ScalarText() {
    }

    /** Plain if unambiguous (in block and in flow context alike), else quoted. */
    static String of(String value) {
        return plainSafe(value) ? value : quoted(value);
    }

    /** In the given quoting style, falling back to quoting when plain would change the meaning. */
    static String inStyle(String value, ScalarStyle style) {
        return switch (style) {
            case SINGLE_QUOTED -> value.chars().allMatch(c -> c >= ' ') ? singleQuoted(value) : doubleQuoted(value);
            case DOUBLE_QUOTED -> doubleQuoted(value);
            default -> of(value);
        };
    }

    static String quoted(String value) {
        boolean printable = value.chars().allMatch(c -> c >= ' ' && c != 0x7f);
        return printable && (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) ? singleQuoted(value) : doubleQuoted(value);
    }

    static boolean plainSafe(String value) {
        if (value.isEmpty() || value.endsWith(":") || GO_YAML_BOOLEANS.contains(value)) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || SAFE_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        char first = value.charAt(0);
        if ("-?:,%@".indexOf(first) >= 0 && !(first == '-' && value.length() > 1 && value.charAt(1) != ' ')) {
            return false;
        }
        return Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true));
    }

    static String singleQuoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String doubleQuoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
