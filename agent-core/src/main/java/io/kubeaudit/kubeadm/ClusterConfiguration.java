package io.kubeaudit.kubeadm;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlDocuments;
import io.kubeaudit.yaml.YamlNodes;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * kubeadm's ClusterConfiguration (key {@code ClusterConfiguration} of ConfigMap kube-system/kubeadm-config) as a
 * YAML tree, changed in place and written out again: every other field stays, with its key order and scalar
 * style. Comments are not kept; kubeadm writes none (it serialises the whole object on every upload).
 */
final class ClusterConfiguration {

    static final String KIND = "ClusterConfiguration";
    static final String API_SERVER = "apiServer";

    /** The kubeadm API versions whose {@code apiServer.extraArgs} shape the agent knows. */
    enum Schema {
        /** kubeadm 1.22 to 1.30 upload this: extraArgs is a map of flag name to value. */
        V1BETA3("kubeadm.k8s.io/v1beta3"),
        /** kubeadm 1.31 and newer: extraArgs is a list of {name, value}, in which a name may repeat. */
        V1BETA4("kubeadm.k8s.io/v1beta4");

        final String apiVersion;

        Schema(String apiVersion) {
            this.apiVersion = apiVersion;
        }
    }

    private final MappingNode root;
    private final Schema schema;

    private ClusterConfiguration(MappingNode root, Schema schema) {
        this.root = root;
        this.schema = schema;
    }

    static ClusterConfiguration parse(String text) throws KubeadmConfigException {
        Node doc;
        try {
            doc = YamlDocuments.single(KubeadmConfigMap.DESCRIPTION, text);
        } catch (InvalidInputException e) {
            throw new KubeadmConfigException(e.getMessage());
        }
        if (!(doc instanceof MappingNode root)) {
            throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + " is not a YAML mapping");
        }
        String kind = YamlNodes.value(root, "kind").map(YamlNodes::scalar).orElse("");
        if (!KIND.equals(kind)) {
            throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + " has kind \"" + kind + "\", expected " + KIND);
        }
        String apiVersion = YamlNodes.value(root, "apiVersion").map(YamlNodes::scalar).orElse("");
        Schema schema = Arrays.stream(Schema.values()).filter(s -> s.apiVersion.equals(apiVersion)).findFirst()
                .orElseThrow(() -> new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + " has apiVersion \"" + apiVersion
                        + "\"; kube-audit-agent writes through only to kubeadm.k8s.io/v1beta3 and v1beta4 (kubeadm 1.22 and newer),"
                        + " whose extraArgs it knows: nothing was written. Upgrade the cluster with a current kubeadm (it uploads"
                        + " the newer version) or set setup.kubeadmConfig: off"));
        return new ClusterConfiguration(root, schema);
    }

    Schema schema() {
        return schema;
    }

    /** kubernetesVersion, the version kubeadm renders the control plane for; empty when absent or a label. */
    Optional<KubeVersion> kubernetesVersion() {
        return YamlNodes.value(root, "kubernetesVersion").map(YamlNodes::scalar).flatMap(KubeVersion::parse);
    }

    ExtraArgs extraArgs() throws KubeadmConfigException {
        return schema == Schema.V1BETA3 ? new ArgMap(apiServer()) : new ArgList(apiServer());
    }

    ExtraVolumes extraVolumes() throws KubeadmConfigException {
        return new ExtraVolumes(apiServer());
    }

    /** Block style, two-space indent, list items at their key's indentation and no line folding: as kubeadm writes it. */
    String emit() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        StringWriter out = new StringWriter();
        new Yaml(options).serialize(root, out);
        return out.toString();
    }

    /** The apiServer mapping, created (first, where kubeadm sorts it) when absent. */
    private MappingNode apiServer() throws KubeadmConfigException {
        Optional<Node> node = YamlNodes.present(root, API_SERVER);
        if (node.isEmpty()) {
            MappingNode created = YamlNodes.mapping();
            if (YamlNodes.value(root, API_SERVER).isPresent()) {
                YamlNodes.put(root, API_SERVER, created);
            } else {
                YamlNodes.putFirst(root, API_SERVER, created);
            }
            return created;
        }
        if (!(node.get() instanceof MappingNode m)) {
            throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": apiServer is not a mapping");
        }
        return m;
    }
}
