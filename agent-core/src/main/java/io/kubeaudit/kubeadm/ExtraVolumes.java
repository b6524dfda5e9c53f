package io.kubeaudit.kubeadm;

import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code apiServer.extraVolumes}: kubeadm's HostPathMount list, the same in v1beta3 and v1beta4. New entries
 * are written with sorted keys and without a false readOnly or an empty pathType, as kubeadm serialises them.
 */
final class ExtraVolumes {

    static final String PATH = ClusterConfiguration.API_SERVER + ".extraVolumes";
    private static final String KEY = "extraVolumes";
    private static final Set<String> TEXT_FIELDS = Set.of("name", "hostPath", "mountPath", "pathType");

    private final MappingNode apiServer;

    ExtraVolumes(MappingNode apiServer) throws KubeadmConfigException {
        this.apiServer = apiServer;
        Optional<Node> volumes = YamlNodes.present(apiServer, KEY);
        if (volumes.isPresent()) {
            if (!(volumes.get() instanceof SequenceNode s)) {
                throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": " + PATH + " is not a list");
            }
            for (Node item : s.getValue()) {
                if (!(item instanceof MappingNode m) || field(m, "name").isEmpty()
                        || TEXT_FIELDS.stream().anyMatch(f -> YamlNodes.present(m, f).filter(v -> YamlNodes.scalar(v) == null).isPresent())
                        || YamlNodes.present(m, "readOnly").filter(v -> !"true".equals(YamlNodes.scalar(v)) && !"false".equals(YamlNodes.scalar(v))).isPresent()) {
                    throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": " + PATH + " holds an entry that is not"
                            + " {name, hostPath, mountPath, readOnly, pathType}");
                }
            }
        }
    }

    List<HostPathVolume> all() {
        List<HostPathVolume> out = new ArrayList<>();
        for (MappingNode m : items()) {
            out.add(new HostPathVolume(field(m, "name").orElseThrow(), field(m, "hostPath").orElse(""), field(m, "mountPath").orElse(""),
                    field(m, "readOnly").filter("true"::equals).isPresent(), field(m, "pathType").orElse("")));
        }
        return out;
    }

    void add(HostPathVolume volume) {
        MappingNode item = YamlNodes.mapping();
        YamlNodes.put(item, "hostPath", YamlNodes.text(volume.hostPath()));
        YamlNodes.put(item, "mountPath", YamlNodes.text(volume.mountPath()));
        YamlNodes.put(item, "name", YamlNodes.text(volume.name()));
        if (!volume.pathType().isEmpty()) {
            YamlNodes.put(item, "pathType", YamlNodes.text(volume.pathType()));
        }
        if (volume.readOnly()) {
            YamlNodes.put(item, "readOnly", YamlNodes.bool(true));
        }
        YamlNodes.append(apiServer, KEY, item);
    }

    /** Removes every entry named {@code name}, and the key once the list is empty. */
    void remove(String name) {
        YamlNodes.removeNamed(apiServer, KEY, name);
    }

    private List<MappingNode> items() {
        return YamlNodes.items(apiServer, KEY);
    }

    private static Optional<String> field(MappingNode m, String key) {
        return YamlNodes.present(m, key).map(YamlNodes::scalar);
    }
}
