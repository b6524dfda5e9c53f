package io.kubeaudit.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubeaudit.yaml.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Issue 14 item 10: the edit must go to what the kubelet reads, so a key given twice is refused with both lines. */
class DuplicateKeyManifestTest {

    /** A decoy first {@code command:} the agent would edit and health-check, while the kubelet runs the second. */
    private static final String DECOY = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: kube-apiserver
              namespace: kube-system
            spec:
              containers:
              - name: kube-apiserver
                image: registry.k8s.io/kube-apiserver:v1.30.2
                command:
                - kube-apiserver
                - --secure-port=7443
                command:
                - kube-apiserver
                - --secure-port=6443
            """;

    @Test
    void aDecoyCommandListIsRefusedNamingBothLines() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ApiServerManifest.parse("kube-apiserver.yaml", DECOY));
        assertEquals("kube-apiserver.yaml:13:5: duplicate key \"spec.containers[0].command\" (first at line 10): YAML readers disagree"
                + " on which one counts (the kubelet takes the last); keep one", e.getMessage());
    }

    @Test
    void aDuplicateAnywhereIsRefused() throws Exception {
        String metadata = DECOY.replace("  namespace: kube-system\n", "  namespace: kube-system\n  labels: {a: x, a: y}\n")
                .replace("    command:\n    - kube-apiserver\n    - --secure-port=7443\n", "");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ApiServerManifest.parse("m.yaml", metadata));
        assertEquals("m.yaml:6:18: duplicate key \"metadata.labels.a\" (first at line 6): YAML readers disagree"
                + " on which one counts (the kubelet takes the last); keep one", e.getMessage());
        ApiServerManifest.parse("m.yaml", DECOY.replace("    command:\n    - kube-apiserver\n    - --secure-port=7443\n", ""));
    }
}
