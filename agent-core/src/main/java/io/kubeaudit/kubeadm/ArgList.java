package io.kubeaudit.kubeadm;

import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** kubeadm.k8s.io/v1beta4 {@code extraArgs}: a list of {name, value}, in which a name may repeat. */
final class ArgList implements ExtraArgs {

    private static final String KEY = "extraArgs";

    private final MappingNode apiServer;

    ArgList(MappingNode apiServer) throws KubeadmConfigException {
        this.apiServer = apiServer;
        Optional<Node> args = YamlNodes.present(apiServer, KEY);
        if (args.isPresent()) {
            if (!(args.get() instanceof SequenceNode s)) {
                throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": " + PATH
                        + " is not a list of {name, value}, as kubeadm.k8s.io/v1beta4 has it");
            }
            for (Node item : s.getValue()) {
                if (!(item instanceof MappingNode m) || YamlNodes.value(m, "name").map(YamlNodes::scalar).isEmpty()
                        || YamlNodes.value(m, "value").filter(v -> YamlNodes.scalar(v) == null).isPresent()) {
                    throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": " + PATH + " holds an entry that is not"
                            + " {name, value} with string values");
                }
            }
        }
    }

    @Override
    public List<Arg> all() {
        List<Arg> out = new ArrayList<>();
        items().forEach(m -> out.add(new Arg(YamlNodes.value(m, "name").map(YamlNodes::scalar).orElseThrow(),
                YamlNodes.present(m, "value").map(YamlNodes::scalar).orElse(""))));
        return out;
    }

    @Override
    public void set(String name, int occurrence, String value) {
        List<MappingNode> named = items().stream().filter(m -> name.equals(YamlNodes.value(m, "name").map(YamlNodes::scalar).orElse(null))).toList();
        if (occurrence < named.size()) {
            YamlNodes.put(named.get(occurrence), "value", YamlNodes.text(value));
        }
    }

    @Override
    public void add(String name, String value) {
        MappingNode item = YamlNodes.mapping();
        YamlNodes.put(item, "name", YamlNodes.text(name));
        YamlNodes.put(item, "value", YamlNodes.text(value));
        YamlNodes.append(apiServer, KEY, item);
    }

    @Override
    public void removeAll(String name) {
        YamlNodes.removeNamed(apiServer, KEY, name);
    }

    private List<MappingNode> items() {
        return YamlNodes.items(apiServer, KEY);
    }
}
