package io.kubeaudit.kubeadm;

import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** kubeadm.k8s.io/v1beta3 {@code extraArgs}: a map of flag name to value (so a name occurs once). */
final class ArgMap implements ExtraArgs {

    private static final String KEY = "extraArgs";

    private final MappingNode apiServer;

    ArgMap(MappingNode apiServer) throws KubeadmConfigException {
        this.apiServer = apiServer;
        Optional<Node> args = YamlNodes.present(apiServer, KEY);
        if (args.isPresent()) {
            if (!(args.get() instanceof MappingNode m)) {
                throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": " + PATH
                        + " is not a map of flag name to value, as kubeadm.k8s.io/v1beta3 has it");
            }
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode) || !(t.getValueNode() instanceof ScalarNode)) {
                    throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": " + PATH + " holds an entry that is not"
                            + " a flag name with a string value");
                }
            }
        }
    }

    @Override
    public List<Arg> all() {
        List<Arg> out = new ArrayList<>();
        map().ifPresent(m -> m.getValue().forEach(t -> out.add(new Arg(YamlNodes.scalar(t.getKeyNode()), YamlNodes.scalar(t.getValueNode())))));
        return out;
    }

    @Override
    public void set(String name, int occurrence, String value) {
        if (occurrence == 0) {
            map().filter(m -> YamlNodes.value(m, name).isPresent()).ifPresent(m -> YamlNodes.put(m, name, YamlNodes.text(value)));
        }
    }

    @Override
    public void add(String name, String value) {
        MappingNode m = map().orElseGet(() -> {
            MappingNode created = YamlNodes.mapping();
            YamlNodes.put(apiServer, KEY, created);
            return created;
        });
        YamlNodes.put(m, name, YamlNodes.text(value));
    }

    @Override
    public void removeAll(String name) {
        map().ifPresent(m -> {
            YamlNodes.remove(m, name);
            if (m.getValue().isEmpty()) {
                YamlNodes.remove(apiServer, KEY);
            }
        });
    }

    private Optional<MappingNode> map() {
        return YamlNodes.present(apiServer, KEY).map(MappingNode.class::cast);
    }
}
