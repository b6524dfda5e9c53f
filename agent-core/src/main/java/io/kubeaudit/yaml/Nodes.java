package io.kubeaudit.yaml;

import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Typed look-ups in a composed manifest; a value of the wrong shape is an error at its position. */
public final class Nodes {

    private Nodes() {
    }

    public static Optional<NodeTuple> entry(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The value of {@code key}; empty when absent or null. */
    public static Optional<Node> value(MappingNode m, String key) {
        return entry(m, key).map(NodeTuple::getValueNode).filter(v -> !YamlMapping.isNull(v));
    }

    /** A scalar's text, or empty when absent, null or not a scalar (for lenient reading). */
    public static Optional<String> text(MappingNode m, String key) {
        return value(m, key).filter(ScalarNode.class::isInstance).map(v -> ((ScalarNode) v).getValue());
    }

    public static Optional<MappingNode> mapping(String file, MappingNode m, String key, String path) throws InvalidInputException {
        Optional<Node> v = value(m, key);
        if (v.isPresent() && !(v.get() instanceof MappingNode)) {
            throw error(file, v.get(), path + " must be a mapping, found " + YamlMapping.describe(v.get()));
        }
        return v.map(MappingNode.class::cast);
    }

    public static Optional<SequenceNode> sequence(String file, MappingNode m, String key, String path) throws InvalidInputException {
        Optional<Node> v = value(m, key);
        if (v.isPresent() && !(v.get() instanceof SequenceNode)) {
            throw error(file, v.get(), path + " must be a list, found " + YamlMapping.describe(v.get()));
        }
        return v.map(SequenceNode.class::cast);
    }

    public static Optional<ScalarNode> scalar(String file, MappingNode m, String key, String path) throws InvalidInputException {
        Optional<Node> v = value(m, key);
        if (v.isPresent() && !(v.get() instanceof ScalarNode)) {
            throw error(file, v.get(), path + " must be a single value, found " + YamlMapping.describe(v.get()));
        }
        return v.map(ScalarNode.class::cast);
    }

    public static InvalidInputException error(String file, Node at, String problem) {
        return new InvalidInputException(SourceLocation.of(file, at), problem);
    }
}
