package io.kubeaudit.kubeadm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The kubeadm-config ConfigMaps under {@code src/test/resources/kubeadm/}, as the API returns them (JSON). */
final class KubeadmFixtures {

    static final String V1BETA3 = "v1beta3-kubeadm-1.28.yaml";
    static final String V1BETA3_OPERATOR = "v1beta3-kubeadm-1.28-operator-settings.yaml";
    static final String V1BETA4 = "v1beta4-kubeadm-1.31.yaml";
    static final String V1BETA4_OPERATOR = "v1beta4-kubeadm-1.32-operator-settings.yaml";
    static final String V1BETA2 = "v1beta2-kubeadm-1.21.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();

    private KubeadmFixtures() {
    }

    static ObjectNode configMap(String fixture) throws IOException {
        try (InputStream in = KubeadmFixtures.class.getResourceAsStream("/kubeadm/" + fixture)) {
            if (in == null) {
                throw new IOException("no fixture " + fixture);
            }
            Map<String, Object> yaml = new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return JSON.valueToTree(yaml);
        }
    }

    static String clusterConfiguration(String fixture) throws IOException {
        return configMap(fixture).path("data").path(KubeadmConfigMap.KEY).asText();
    }

    /** A ClusterConfiguration as plain maps and lists: what kubeadm would decode, whatever the layout. */
    static Map<String, Object> load(String clusterConfiguration) {
        return new Yaml().load(clusterConfiguration);
    }
}
