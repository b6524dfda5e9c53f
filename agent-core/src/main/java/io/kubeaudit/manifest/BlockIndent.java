package io.kubeaudit.manifest;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * How a document indents what it nests under a key, read from the document itself so new blocks look
 * like their neighbours: kubeadm writes lists flush with their key ({@code volumes:\n- ...}), the
 * Kubernetes docs indent them by two.
 *
 * @param mapping  columns from a key to the keys of the mapping under it
 * @param sequence columns from a key to the '-' of the list under it
 */
record BlockIndent(int mapping, int sequence) {

    static final BlockIndent KUBEADM = new BlockIndent(2, 0);

    BlockIndent {
        if (mapping < 1 || sequence < 0) {
            throw new IllegalArgumentException("bad indentation " + mapping + "/" + sequence);
        }
    }

    static BlockIndent of(Node root) {
        Integer mapping = null;
        Integer sequence = null;
        Deque<Node> todo = new ArrayDeque<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>()); // aliases may make the tree a cycle
        todo.push(root);
        while (!todo.isEmpty() && (mapping == null || sequence == null)) {
            Node n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (n instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    Node key = t.getKeyNode();
                    Node value = t.getValueNode();
                    if (isBlock(value) && value.getStartMark().getLine() > key.getStartMark().getLine()) {
                        int step = value.getStartMark().getColumn() - key.getStartMark().getColumn();
                        if (value instanceof MappingNode && mapping == null && step >= 1) {
                            mapping = step;
                        } else if (value instanceof SequenceNode && sequence == null && step >= 0) {
                            sequence = step;
                        }
                    }
                }
                for (int i = m.getValue().size() - 1; i >= 0; i--) {
                    todo.push(m.getValue().get(i).getValueNode());
                }
            } else if (n instanceof SequenceNode s) {
                for (int i = s.getValue().size() - 1; i >= 0; i--) {
                    todo.push(s.getValue().get(i));
                }
            }
        }
        return new BlockIndent(mapping == null ? KUBEADM.mapping : mapping, sequence == null ? KUBEADM.sequence : sequence);
    }

    static boolean isBlock(Node n) {
        return n instanceof CollectionNode<?> c && c.getFlowStyle() != FlowStyle.FLOW;
    }

    BlockIndent withMapping(int step) {
        return new BlockIndent(step, sequence);
    }
}
