package io.kubeaudit.yaml;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Strict, typed reading of one YAML mapping: every key must be known ({@link #finish()} reports the
 * first unknown one with its position), every value must have the expected type. Shared by the config
 * file and the audit-policy validator so both speak with the same precision.
 */
public final class YamlMapping {

    private final String file;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> read = new LinkedHashSet<>();

    private YamlMapping(String file, String path, MappingNode node) throws InvalidInputException {
        this.file = file;
        this.path = path;
        this.node = node;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw error(t.getKeyNode(), "keys must be plain strings");
            }
            // Duplicate keys never get here: YamlDocuments refuses them for the whole document.
            entries.put(key.getValue(), t);
        }
    }

    public static YamlMapping of(String file, String path, Node node) throws InvalidInputException {
        if (!(node instanceof MappingNode m)) {
            throw new InvalidInputException(SourceLocation.of(file, node),
                    (path.isEmpty() ? "document" : path) + " must be a mapping, found " + describe(node));
        }
        return new YamlMapping(file, path, m);
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public Node node() {
        return node;
    }

    public SourceLocation location() {
        return SourceLocation.of(file, node);
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The value node of {@code key}, marking it as known; empty when absent or explicitly null. */
    public Optional<Node> value(String key) {
        read.add(key);
        NodeTuple t = entries.get(key);
        if (t == null || isNull(t.getValueNode())) {
            return Optional.empty();
        }
        return Optional.of(t.getValueNode());
    }

    public Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? node : t.getKeyNode();
    }

    public String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public Optional<YamlMapping> mapping(String key) throws InvalidInputException {
        Optional<Node> v = value(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(YamlMapping.of(file, child(key), v.get()));
    }

    public Optional<String> string(String key) throws InvalidInputException {
        Optional<Node> v = value(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(YamlValues.string(file, child(key), v.get()));
    }

    public Optional<Boolean> bool(String key) throws InvalidInputException {
        Optional<Node> v = value(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(YamlValues.bool(file, child(key), v.get()));
    }

    public Optional<Long> integer(String key) throws InvalidInputException {
        Optional<Node> v = value(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(YamlValues.integer(file, child(key), v.get()));
    }

    /** A list of plain strings; a single string is an error, as the API server's decoder would say. */
    public Optional<List<String>> strings(String key) throws InvalidInputException {
        Optional<Node> v = value(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(YamlValues.strings(file, child(key), v.get()));
    }

    public List<Node> sequence(String key, Node value) throws InvalidInputException {
        return YamlValues.sequence(file, child(key), value);
    }

    public Optional<List<Node>> list(String key) throws InvalidInputException {
        Optional<Node> v = value(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(sequence(key, v.get()));
    }

    /** Rejects the first key no reader asked for. */
    public void finish() throws InvalidInputException {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!read.contains(e.getKey())) {
                throw error(e.getValue().getKeyNode(), "unknown field \"" + child(e.getKey()) + "\"");
            }
        }
    }

    public InvalidInputException error(Node at, String problem) {
        return new InvalidInputException(SourceLocation.of(file, at), problem);
    }

    public static boolean isNull(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
    }

    public static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) n;
        if (Tag.NULL.equals(s.getTag())) {
            return "nothing (null)";
        }
        return "\"" + s.getValue() + "\"";
    }
}
