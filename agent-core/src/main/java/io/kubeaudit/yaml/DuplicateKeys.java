package io.kubeaudit.yaml;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A key given twice in one mapping, anywhere in a document. YAML readers disagree on which one counts
 * (the kubelet's takes the last, a reader of the first would edit a decoy), so a file with one is
 * refused, naming both lines. SnakeYAML checks this only when it builds Java objects, never for the
 * node trees the agent reads.
 */
final class DuplicateKeys {

    private DuplicateKeys() {
    }

    static void refuse(String fileName, Node document) throws InvalidInputException {
        walk(fileName, document, "", Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void walk(String fileName, Node node, String path, Set<Node> seen) throws InvalidInputException {
        // An alias is the same node again: check it once.
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof MappingNode m) {
            Map<String, ScalarNode> first = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                String child = path;
                if (t.getKeyNode() instanceof ScalarNode key) {
                    child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
                    // "<<" merges other mappings in: several are allowed.
                    ScalarNode earlier = key.getValue().equals("<<") ? null : first.putIfAbsent(key.getValue(), key);
                    if (earlier != null) {
                        throw new InvalidInputException(SourceLocation.of(fileName, key), "duplicate key \"" + child
                                + "\" (first at line " + (earlier.getStartMark().getLine() + 1) + "): YAML readers disagree on"
                                + " which one counts (the kubelet takes the last); keep one");
                    }
                }
                walk(fileName, t.getValueNode(), child, seen);
            }
        } else if (node instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                walk(fileName, items.get(i), path + "[" + i + "]", seen);
            }
        }
    }
}
