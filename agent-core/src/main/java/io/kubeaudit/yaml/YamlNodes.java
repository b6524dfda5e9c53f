package io.kubeaudit.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reading and changing a composed YAML tree (a manifest, kubeadm's ClusterConfiguration) in place: look-ups
 * that are lenient or typed (a value of the wrong shape is an error at its position), and edits whose new
 * nodes are written the way kubeadm writes them (block style). The config file and policies are read
 * strictly through {@link YamlMapping} instead.
 */
public final class YamlNodes {

    private static final Resolver RESOLVER = new Resolver();

    private YamlNodes() {
    }

    public static Optional<NodeTuple> entry(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (key.equals(scalar(t.getKeyNode()))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** A key's value, an explicit null ({@code key:} with nothing after it) included. */
    public static Optional<Node> value(MappingNode m, String key) {
        return entry(m, key).map(NodeTuple::getValueNode);
    }

    /** A key's value; absent and null are both empty. */
    public static Optional<Node> present(MappingNode m, String key) {
        return value(m, key).filter(v -> !YamlMapping.isNull(v));
    }

    /** A scalar's text, or empty when absent, null or not a scalar (for lenient reading). */
    public static Optional<String> scalarText(MappingNode m, String key) {
        return present(m, key).map(YamlNodes::scalar);
    }

    /** The mapping under {@code key} (named {@code path} in the error); empty when absent or null. */
    public static Optional<MappingNode> mappingAt(String file, MappingNode m, String key, String path) throws InvalidInputException {
        return typed(file, m, key, path, MappingNode.class, "a mapping");
    }

    public static Optional<SequenceNode> sequenceAt(String file, MappingNode m, String key, String path) throws InvalidInputException {
        return typed(file, m, key, path, SequenceNode.class, "a list");
    }

    public static Optional<ScalarNode> scalarAt(String file, MappingNode m, String key, String path) throws InvalidInputException {
        return typed(file, m, key, path, ScalarNode.class, "a single value");
    }

    private static <N extends Node> Optional<N> typed(String file, MappingNode m, String key, String path, Class<N> type, String what)
            throws InvalidInputException {
        Optional<Node> v = present(m, key);
        if (v.isPresent() && !type.isInstance(v.get())) {
            throw error(file, v.get(), path + " must be " + what + ", found " + YamlMapping.describe(v.get()));
        }
        return v.map(type::cast);
    }

    public static InvalidInputException error(String file, Node at, String problem) {
        return new InvalidInputException(SourceLocation.of(file, at), problem);
    }

    /** Replaces the key's value where it stands, or appends the key. */
    public static void put(MappingNode m, String key, Node value) {
        List<NodeTuple> entries = m.getValue();
        for (int i = 0; i < entries.size(); i++) {
            if (key.equals(scalar(entries.get(i).getKeyNode()))) {
                entries.set(i, new NodeTuple(entries.get(i).getKeyNode(), value));
                return;
            }
        }
        entries.add(new NodeTuple(text(key), value));
        block(m);
    }

    public static void putFirst(MappingNode m, String key, Node value) {
        m.getValue().add(0, new NodeTuple(text(key), value));
        block(m);
    }

    public static void remove(MappingNode m, String key) {
        m.getValue().removeIf(t -> key.equals(scalar(t.getKeyNode())));
    }

    /** The mappings of the list under {@code key} (kubeadm's extraArgs v1beta4 and extraVolumes); empty when absent. */
    public static List<MappingNode> items(MappingNode parent, String key) {
        return present(parent, key).map(s -> ((SequenceNode) s).getValue().stream().map(MappingNode.class::cast).toList())
                .orElse(List.of());
    }

    /** Appends {@code item} to the list under {@code key}, creating the list (block style) when absent. */
    public static void append(MappingNode parent, String key, MappingNode item) {
        SequenceNode list = present(parent, key).map(SequenceNode.class::cast).orElseGet(() -> {
            SequenceNode created = sequence();
            put(parent, key, created);
            return created;
        });
        list.getValue().add(item);
        block(list);
    }

    /** Removes every item of the list under {@code key} whose {@code name} is {@code name}, and the key once the list is empty. */
    public static void removeNamed(MappingNode parent, String key, String name) {
        present(parent, key).map(SequenceNode.class::cast).ifPresent(s -> {
            s.getValue().removeIf(item -> name.equals(value((MappingNode) item, "name").map(YamlNodes::scalar).orElse(null)));
            if (s.getValue().isEmpty()) {
                remove(parent, key);
            }
        });
    }

    /** The text of a scalar; null for anything else. */
    public static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    /**
     * A string scalar, plain where YAML reads it back as a string and double-quoted otherwise ("30",
     * "true"), as kubeadm writes them: its extraArgs are strings, and a bare 30 would not decode.
     */
    public static ScalarNode text(String value) {
        boolean plainIsString = Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true));
        return new ScalarNode(Tag.STR, value, null, null, plainIsString && !value.isEmpty()
                ? DumperOptions.ScalarStyle.PLAIN : DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }

    public static ScalarNode bool(boolean value) {
        return new ScalarNode(Tag.BOOL, Boolean.toString(value), null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    public static MappingNode mapping() {
        return new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
    }

    static SequenceNode sequence() {
        return new SequenceNode(Tag.SEQ, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
    }

    /** An entry added to an empty {@code {}} must not keep it in flow style. */
    static void block(Node collection) {
        if (collection instanceof MappingNode m) {
            m.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
        } else if (collection instanceof SequenceNode s) {
            s.setFlowStyle(DumperOptions.FlowStyle.BLOCK);
        }
    }
}
