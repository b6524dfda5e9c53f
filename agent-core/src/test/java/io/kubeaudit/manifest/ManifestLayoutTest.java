package io.kubeaudit.manifest;

import static io.kubeaudit.manifest.AuditManifestEditorCorpusTest.AUDIT;
import static io.kubeaudit.manifest.AuditManifestEditorCorpusTest.SHA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.yaml.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Manifest layouts beyond kubeadm's: the edit must match each one's style, keep it valid, be a no-op
 * the second time and be undone byte for byte.
 */
class ManifestLayoutTest {

    /** The Kubernetes docs' style: lists indented under their key, name first, no annotations, no volumes. */
    private static final String DOCS_STYLE = """
            apiVersion: v1
            kind: Pod
            metadata:
                name: kube-apiserver
                namespace: kube-system
            spec:
                hostNetwork: true
                containers:
                    - name: kube-apiserver
                      image: registry.k8s.io/kube-apiserver:v1.31.0
                      command:
                          - kube-apiserver
                          - --secure-port=6443
                      resources: {}
            """;

    @Test
    void docsStyleGetsItsOwnIndentationAndNewKeys() throws Exception {
        ManifestEdit edit = roundTrip(DOCS_STYLE);
        assertEquals("""
                apiVersion: v1
                kind: Pod
                metadata:
                    annotations:
                        kube-audit-agent/managed: '%s'
                        kube-audit-agent/policy-sha256: %s
                    name: kube-apiserver
                    namespace: kube-system
                spec:
                    hostNetwork: true
                    containers:
                        - name: kube-apiserver
                          image: registry.k8s.io/kube-apiserver:v1.31.0
                          command:
                              - kube-apiserver
                              - --audit-log-format=json
                              - --audit-log-maxage=30
                              - --audit-log-maxbackup=10
                              - --audit-log-maxsize=100
                              - --audit-log-path=/var/log/kubernetes/audit/audit.log
                              - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
                              - --secure-port=6443
                          resources: {}
                          volumeMounts:
                              - mountPath: /var/log/kubernetes/audit
                                name: audit-logs
                              - mountPath: /etc/kubernetes/audit-policy.yaml
                                name: audit-policy
                                readOnly: true
                    volumes:
                        - hostPath:
                              path: /var/log/kubernetes/audit
                              type: DirectoryOrCreate
                          name: audit-logs
                        - hostPath:
                              path: /etc/kubernetes/audit-policy.yaml
                              type: File
                          name: audit-policy
                """.formatted(ApiServerManifest.parse("m", edit.after()).annotation(AuditManifestEditor.MANAGED_ANNOTATION).orElseThrow(),
                SHA), edit.after());
    }

    @Test
    void jsonManifestsWithAListCommandGetJsonShapedAdditions() throws Exception {
        String json = """
                {
                  "apiVersion": "v1",
                  "kind": "Pod",
                  "metadata": {"name": "kube-apiserver", "namespace": "kube-system", "annotations": {}},
                  "spec": {
                    "containers": [
                      {
                        "name": "kube-apiserver",
                        "image": "k8s.gcr.io/kube-apiserver:v1.20.1",
                        "command": ["kube-apiserver", "--secure-port=6443"],
                        "volumeMounts": [{"name": "pki", "mountPath": "/etc/kubernetes/pki", "readOnly": true}]
                      }
                    ],
                    "volumes": [{"name": "pki", "hostPath": {"path": "/etc/kubernetes/pki"}}]
                  }
                }""";
        ManifestEdit edit = roundTrip(json);
        assertTrue(edit.after().contains("\"command\": [\"kube-apiserver\", \"--audit-log-format=json\", \"--audit-log-maxage=30\","),
                edit.after());
        assertTrue(edit.after().contains("\"volumeMounts\": [{\"name\": \"audit-logs\", \"mountPath\": \"/var/log/kubernetes/audit\"}, "
                + "{\"name\": \"audit-policy\", \"mountPath\": \"/etc/kubernetes/audit-policy.yaml\", \"readOnly\": true}, "
                + "{\"name\": \"pki\""), edit.after());
        assertTrue(edit.after().contains("{\"name\": \"audit-policy\", \"hostPath\": {\"path\": \"/etc/kubernetes/audit-policy.yaml\","
                + " \"type\": \"File\"}}"), edit.after());
        assertTrue(edit.after().contains("\"annotations\": {\"kube-audit-agent/policy-sha256\": \"" + SHA
                + "\", \"kube-audit-agent/managed\": \"{\\\"flags\\\""), edit.after());
        assertFalse(edit.after().endsWith("\n"), "no line break is added at the end");
    }

    @Test
    void emptyFlowCollectionsInAYamlDocumentGetYamlFlowAdditions() throws Exception {
        String text = DOCS_STYLE.replace("    name: kube-apiserver\n", "    annotations: {}\n    name: kube-apiserver\n")
                + "    volumes: []\n";
        ManifestEdit edit = roundTrip(text);
        assertTrue(edit.after().contains("    annotations: {kube-audit-agent/policy-sha256: " + SHA + ", kube-audit-agent/managed: '{"),
                edit.after());
        assertTrue(edit.after().contains("    volumes: [{hostPath: {path: /var/log/kubernetes/audit, type: DirectoryOrCreate}, name: audit-logs}, "
                + "{hostPath: {path: /etc/kubernetes/audit-policy.yaml, type: File}, name: audit-policy}]\n"), edit.after());
    }

    @Test
    void windowsLineBreaksStayWindowsLineBreaks() throws Exception {
        String crlf = CorpusManifests.read(CorpusManifests.V1_29).replace("\n", "\r\n");
        ManifestEdit edit = roundTrip(crlf);
        assertFalse(edit.after().replace("\r\n", "").contains("\n"), "every new line ends in CRLF");
    }

    @Test
    void aFileWithoutAFinalLineBreakKeepsLackingIt() throws Exception {
        String text = CorpusManifests.read(CorpusManifests.V1_25).replace("status: {}\n", "").stripTrailing();
        ManifestEdit edit = roundTrip(text);
        assertTrue(edit.after().endsWith("    name: trace-config"), edit.after().substring(edit.after().length() - 80));
    }

    @Test
    void twoItemFlagsAreUpdatedInTheirValueItem() throws Exception {
        String text = DOCS_STYLE.replace("              - --secure-port=6443\n", "              - --secure-port=6443\n"
                + "              - --audit-log-maxage\n"
                + "              - \"7\"\n"
                + "              - --audit-log-path\n"
                + "              - '/var/log/old/audit.log'\n");
        ManifestEdit edit = roundTrip(text);
        assertTrue(edit.after().contains("""
                              - --audit-log-maxage
                              - "30"
                              - --audit-log-path
                              - '/var/log/kubernetes/audit/audit.log'
                """), edit.after());
        assertEquals(List.of("changed flag --audit-log-maxage: 7 -> 30",
                "changed flag --audit-log-path: /var/log/old/audit.log -> /var/log/kubernetes/audit/audit.log"),
                edit.changes().stream().filter(c -> c.startsWith("changed flag")).toList());
    }

    @Test
    void flagsGoIntoArgsWhenTheCommandIsOnlyTheBinary() throws Exception {
        String text = DOCS_STYLE.replace("              - --secure-port=6443\n", "          args:\n"
                + "              - --secure-port=6443\n");
        ManifestEdit edit = roundTrip(text);
        assertEquals(List.of("kube-apiserver"), PodView.of(edit.after()).command());
        assertTrue(edit.after().contains("""
                          args:
                              - --audit-log-format=json
                """), edit.after());
    }

    @Test
    void anchorsInThePartsToEditAreRefused() {
        String text = DOCS_STYLE.replace("resources: {}", "resources: &r {}\n          livenessProbe: *r");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AuditManifestEditor.enable(ApiServerManifest.parse("m.yaml", text), AUDIT, SHA));
        assertTrue(e.getMessage().startsWith("m.yaml:14:22: uses a YAML anchor or alias"), e.getMessage());
    }

    @Test
    void aBlockScalarFlagIsRefusedRatherThanRewritten() {
        String text = DOCS_STYLE.replace("              - --secure-port=6443\n", "              - --secure-port=6443\n"
                + "              - >-\n"
                + "                --audit-log-maxage=7\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AuditManifestEditor.enable(ApiServerManifest.parse("m.yaml", text), AUDIT, SHA));
        assertTrue(e.getMessage().startsWith("m.yaml:14:17: is a block scalar"), e.getMessage());
    }

    @Test
    void valuesThatWouldReadAsSomethingElseAreQuoted() {
        assertEquals("\"100\"", ScalarText.of("100"));
        assertEquals("\"true\"", ScalarText.of("true"));
        assertEquals("\"y\"", ScalarText.of("y"));
        assertEquals("\"\"", ScalarText.of(""));
        assertEquals("--audit-log-maxage=30", ScalarText.of("--audit-log-maxage=30"));
        assertEquals("\"a,b\"", ScalarText.of("a,b"));
        assertEquals("'{\"a\":1}'", ScalarText.of("{\"a\":1}"));
        assertEquals("\"#x\"", ScalarText.of("#x"));
        assertEquals("\"x: y\"", ScalarText.of("x: y"));
    }

    /** Enable, check it parses and is stable, disable back to the exact original. */
    private static ManifestEdit roundTrip(String text) throws Exception {
        ManifestEdit edit = AuditManifestEditor.enable(ApiServerManifest.parse("m", text), AUDIT, SHA);
        ApiServerManifest parsed = ApiServerManifest.parse("m", edit.after());
        assertEquals(AUDIT.logPath(), parsed.flags().get("--audit-log-path"));
        assertEquals(List.of(), ManifestPreflight.unmountedPaths(parsed));
        assertFalse(AuditManifestEditor.enable(parsed, AUDIT, SHA).changed(), edit.after());
        assertEquals(text, AuditManifestEditor.disable(parsed).after());
        return edit;
    }
}
