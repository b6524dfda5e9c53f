package io.kubeaudit.manifest;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** One volumeMounts entry of the kube-apiserver container, with the nodes the editor may rewrite. */
record VolumeMount(int index, MappingNode node, String name, ScalarNode mountPathNode, Optional<ScalarNode> readOnlyNode) {

    String mountPath() {
        return mountPathNode.getValue();
    }

    boolean readOnly() {
        return readOnlyNode.map(n -> n.getValue().equalsIgnoreCase("true")).orElse(false);
    }

    static List<VolumeMount> list(String file, Optional<SequenceNode> mounts) throws InvalidInputException {
        List<VolumeMount> out = new ArrayList<>();
        if (mounts.isEmpty()) {
            return out;
        }
        List<Node> items = mounts.get().getValue();
        for (int i = 0; i < items.size(); i++) {
            String path = "volumeMounts[" + i + "]";
            if (!(items.get(i) instanceof MappingNode m)) {
                throw YamlNodes.error(file, items.get(i), path + " must be a mapping");
            }
            Optional<ScalarNode> mountPath = YamlNodes.scalarAt(file, m, "mountPath", path + ".mountPath");
            if (mountPath.isEmpty()) {
                throw YamlNodes.error(file, m, path + " has no mountPath");
            }
            out.add(new VolumeMount(i, m, YamlNodes.scalarText(m, "name").orElse(""), mountPath.get(),
                    YamlNodes.scalarAt(file, m, "readOnly", path + ".readOnly")));
        }
        return out;
    }
}
