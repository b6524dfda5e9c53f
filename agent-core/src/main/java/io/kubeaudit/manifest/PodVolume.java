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

/**
 * One entry of spec.volumes, with the nodes the editor may rewrite.
 *
 * @param name     "" when the entry has no name (the kubelet rejects such a pod)
 * @param hostPath empty for volumes of other kinds
 */
record PodVolume(int index, MappingNode node, String name, Optional<HostPathSource> hostPath) {

    /** A volume's hostPath block. */
    record HostPathSource(MappingNode node, ScalarNode pathNode, Optional<ScalarNode> typeNode) {

        String path() {
            return pathNode.getValue();
        }

        String type() {
            return typeNode.map(ScalarNode::getValue).orElse("");
        }
    }

    static List<PodVolume> list(String file, Optional<SequenceNode> volumes) throws InvalidInputException {
        List<PodVolume> out = new ArrayList<>();
        if (volumes.isEmpty()) {
            return out;
        }
        List<Node> items = volumes.get().getValue();
        for (int i = 0; i < items.size(); i++) {
            String path = "spec.volumes[" + i + "]";
            if (!(items.get(i) instanceof MappingNode v)) {
                throw YamlNodes.error(file, items.get(i), path + " must be a mapping");
            }
            Optional<HostPathSource> hostPath = Optional.empty();
            Optional<MappingNode> hp = YamlNodes.mappingAt(file, v, "hostPath", path + ".hostPath");
            if (hp.isPresent()) {
                Optional<ScalarNode> p = YamlNodes.scalarAt(file, hp.get(), "path", path + ".hostPath.path");
                if (p.isEmpty()) {
                    throw YamlNodes.error(file, hp.get(), path + ".hostPath has no path");
                }
                hostPath = Optional.of(new HostPathSource(hp.get(), p.get(),
                        YamlNodes.scalarAt(file, hp.get(), "type", path + ".hostPath.type")));
            }
            out.add(new PodVolume(i, v, YamlNodes.scalarText(v, "name").orElse(""), hostPath));
        }
        return out;
    }
}
