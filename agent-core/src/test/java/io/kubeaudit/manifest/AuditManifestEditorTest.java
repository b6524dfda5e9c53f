package io.kubeaudit.manifest;

import static io.kubeaudit.manifest.AuditManifestEditorCorpusTest.AUDIT;
import static io.kubeaudit.manifest.AuditManifestEditorCorpusTest.SHA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The corpus cases the brief singles out, and what the editor does when the configuration changes. */
class AuditManifestEditorTest {

    private static final String OTHER_SHA = "f".repeat(64);

    @Test
    void inlineCommentsOnTheOperatorsAuditFlagsStayInTheirColumnWhileTheValuesChange() throws Exception {
        ManifestEdit edit = AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_28_COMMENTS);
        List<String> lines = edit.after().lines().toList();
        assertTrue(lines.contains("    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml       # audit logging"));
        assertTrue(lines.contains("    - --audit-log-path=/var/log/kubernetes/audit/audit.log        # audit logging"));
        assertTrue(lines.contains("    - --audit-log-maxsize=100                                     # audit logging"));
        assertTrue(lines.contains("    - --audit-log-maxbackup=10                                    # audit logging"));
        assertEquals(edit.before().lines().filter(l -> l.endsWith("# audit logging")).count(),
                lines.stream().filter(l -> l.endsWith("# audit logging")).count(), "every comment survives");
        assertTrue(edit.changes().contains("changed flag --audit-log-maxsize: 5 -> 100"), edit.changes().toString());
    }

    @Test
    void theOperatorsAuditDirectoryMountIsReusedWhenTheConfigurationPointsIntoIt() throws Exception {
        AuditConfig own = new AuditConfig("recommended", "/etc/kubernetes/audit/policy.yaml",
                "/etc/kubernetes/audit/logs/audit.log", 30, 1, 5, false);
        ManifestEdit edit = AuditManifestEditor.enable(CorpusManifests.parse(CorpusManifests.V1_28_COMMENTS), own, SHA);
        PodView before = PodView.of(edit.before());
        PodView after = PodView.of(edit.after());
        assertEquals(before.volumes().size(), after.volumes().size(), "no new volume: /etc/kubernetes/audit covers both");
        assertEquals(before.mounts(), after.mounts());
        assertEquals(List.of("added flag --audit-log-maxage=30", "added flag --audit-log-format=json"),
                flagChanges(edit));
    }

    @Test
    void logPathWithoutPolicyOrVolumeGetsThePolicyAndBothMounts() throws Exception {
        ApiServerManifest m = CorpusManifests.parse(CorpusManifests.V1_32_NO_POLICY);
        assertEquals(List.of("/var/log/apiserver/audit.log"), ManifestPreflight.unmountedPaths(m));

        AuditConfig keepPath = new AuditConfig("recommended", "/etc/kubernetes/audit-policy.yaml",
                "/var/log/apiserver/audit.log", 30, 10, 100, false);
        ManifestEdit edit = AuditManifestEditor.enable(m, keepPath, SHA);
        PodView after = PodView.of(edit.after());
        assertEquals(List.of("/var/log/apiserver/audit.log"), after.values("--audit-log-path"));
        assertEquals(List.of("/etc/kubernetes/audit-policy.yaml"), after.values("--audit-policy-file"));
        assertEquals("/var/log/apiserver", after.hostPath("audit-logs"));
        assertEquals("DirectoryOrCreate", after.hostPathType("audit-logs"));
        assertEquals("File", after.hostPathType("audit-policy"));
        assertEquals(List.of(), ManifestPreflight.unmountedPaths(ApiServerManifest.parse("m", edit.after())));
        assertEquals(List.of("added flag --audit-policy-file=/etc/kubernetes/audit-policy.yaml", "added flag --audit-log-format=json"),
                flagChanges(edit), "the operator's log flags were already right");
    }

    @Test
    void aCompleteAuditSetupIsReusedAndOnlyTheMissingFormatIsAdded() throws Exception {
        ManifestEdit edit = AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_32_FULL);
        List<String> added = edit.unifiedDiff("m").lines().filter(l -> l.startsWith("+") && !l.startsWith("+++")).toList();
        assertEquals(3, added.size(), edit.unifiedDiff("m"));
        assertTrue(added.contains("+    - --audit-log-format=json"));
        assertEquals(0, edit.unifiedDiff("m").lines().filter(l -> l.startsWith("-") && !l.startsWith("---")).count());
        assertTrue(edit.after().contains("  - hostPath: \n"), "the trailing space after hostPath: survives");
        assertTrue(edit.after().contains("    - --runtime-config=\n"), "the empty-valued flag survives");
    }

    @Test
    void kubeadm17IsRefusedAsTooOld() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_7));
        assertTrue(e.getMessage().startsWith(CorpusManifests.V1_7 + ":42:12: kube-apiserver v1.7.0"), e.getMessage());
    }

    @Test
    void kubeadm17LayoutReusesTheWholeEtcKubernetesMountAndAppendsToUnsortedFlags() throws Exception {
        String retagged = CorpusManifests.read(CorpusManifests.V1_7).replace("kube-apiserver-amd64:v1.7.0", "kube-apiserver-amd64:v1.12.0");
        ApiServerManifest m = ApiServerManifest.parse("v1.7-layout.yaml", retagged);
        assertEquals(new HostPathMount("k8s", "/etc/kubernetes", "/etc/kubernetes", "", true), m.hostPathMounts().get(0));

        ManifestEdit edit = AuditManifestEditor.enable(m, AUDIT, SHA);
        PodView after = PodView.of(edit.after());
        assertEquals("k8s", after.mountCovering(AUDIT.policyPath()).orElseThrow().get("name"), "policy is visible through /etc/kubernetes");
        assertFalse(after.volumes().stream().anyMatch(v -> "audit-policy".equals(v.get("name"))));
        assertTrue(edit.after().contains("""
                  - hostPath:
                      path: /var/log/kubernetes/audit
                      type: DirectoryOrCreate
                    name: audit-logs
                status: {}
                """), edit.after());
        assertTrue(edit.after().contains("""
                    - --etcd-servers=http://127.0.0.1:2379
                    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
                    - --audit-log-path=/var/log/kubernetes/audit/audit.log
                """), "flags are appended in order when the list is not sorted");
        assertEquals(retagged, AuditManifestEditor.disable(ApiServerManifest.parse("m", edit.after())).after());
    }

    @Test
    void aMountOfTheLogFileAloneBecomesAMountOfItsDirectory() throws Exception {
        String text = resource("/manifest/audit-log-file-mounted-alone.yaml");
        ApiServerManifest m = ApiServerManifest.parse("file-mount.yaml", text);
        assertEquals(List.of("/var/log/kubernetes/audit/audit.log"), ManifestPreflight.unmountedPaths(m));

        ManifestEdit edit = AuditManifestEditor.enable(m, AUDIT, SHA);
        assertTrue(edit.changes().get(0).startsWith("volume audit-log mounted only the audit log file /var/log/kubernetes/audit/audit.log"),
                edit.changes().toString());
        assertTrue(edit.changes().get(0).contains("breaks rotation"));
        PodView after = PodView.of(edit.after());
        assertEquals("/var/log/kubernetes/audit", after.mountCovering(AUDIT.logPath()).orElseThrow().get("mountPath"));
        assertEquals("DirectoryOrCreate", after.hostPathType("audit-log"));
        assertEquals(PodView.of(text).volumes().size(), after.volumes().size(), "fixed in place, no new volume");
        assertTrue(edit.after().startsWith("# Test fixture derived"), "the leading comment survives");
        assertTrue(edit.after().contains("      type: File\n\n  - name: audit-log\n"), "the blank line between volumes survives");
        assertEquals(List.of(), ManifestPreflight.unmountedPaths(ApiServerManifest.parse("m", edit.after())));

        ManifestEdit second = AuditManifestEditor.enable(ApiServerManifest.parse("m", edit.after()), AUDIT, SHA);
        assertFalse(second.changed());
        String disabled = AuditManifestEditor.disable(ApiServerManifest.parse("m", edit.after())).after();
        assertEquals("/var/log/kubernetes/audit", PodView.of(disabled).mountCovering(AUDIT.logPath()).orElseThrow().get("mountPath"),
                "teardown keeps the repaired mount: the file mount was broken");
    }

    @Test
    void compressionFollowsTheServerVersion() throws Exception {
        AuditConfig compress = new AuditConfig("recommended", AUDIT.policyPath(), AUDIT.logPath(), 30, 10, 100, true);
        PodView modern = PodView.of(AuditManifestEditor.enable(CorpusManifests.parse(CorpusManifests.V1_29), compress, SHA).after());
        assertEquals(List.of("true"), modern.values("--audit-log-compress"));
        PodView old = PodView.of(AuditManifestEditor.enable(CorpusManifests.parse(CorpusManifests.V1_16), compress, SHA).after());
        assertEquals(List.of(), old.values("--audit-log-compress"), "kube-apiserver 1.16 exits on an unknown flag");
    }

    @Test
    void anOperatorsCompressionIsSwitchedOffInPlaceAndRestoredByTeardown() throws Exception {
        String text = CorpusManifests.read(CorpusManifests.V1_29)
                .replace("    - --allow-privileged=true\n", "    - --allow-privileged=true\n    - --audit-log-compress\n");
        ManifestEdit edit = AuditManifestEditor.enable(ApiServerManifest.parse("m", text), AUDIT, SHA);
        assertTrue(edit.after().contains("    - --audit-log-compress=false\n"));
        assertEquals(text, AuditManifestEditor.disable(ApiServerManifest.parse("m", edit.after())).after());
    }

    @Test
    void aPolicyChangeAloneChangesOnlyTheHashAnnotation() throws Exception {
        ManifestEdit first = AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_29);
        ManifestEdit second = AuditManifestEditor.enable(ApiServerManifest.parse("m", first.after()), AUDIT, OTHER_SHA);
        assertTrue(second.changed());
        assertEquals(List.of("changed annotation " + AuditManifestEditor.POLICY_HASH_ANNOTATION + ": " + SHA + " -> " + OTHER_SHA),
                second.changes());
        assertEquals(first.after().replace(SHA, OTHER_SHA), second.after());
    }

    @Test
    void aNewLogDirectoryReplacesTheAgentsOldVolumeInsteadOfAddingASecond() throws Exception {
        String original = CorpusManifests.read(CorpusManifests.V1_29);
        ManifestEdit first = AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_29);
        AuditConfig moved = new AuditConfig("recommended", AUDIT.policyPath(), "/var/log/audit-elsewhere/audit.log", 7, 3, 50, false);
        ManifestEdit second = AuditManifestEditor.enable(ApiServerManifest.parse("m", first.after()), moved, SHA);
        PodView after = PodView.of(second.after());
        assertEquals("/var/log/audit-elsewhere", after.hostPathOf("/var/log/audit-elsewhere").orElseThrow());
        assertFalse(second.after().contains("/var/log/kubernetes/audit"), "the old log directory mount is gone");
        assertEquals(List.of("7"), after.values("--audit-log-maxage"));
        assertEquals(original, AuditManifestEditor.disable(ApiServerManifest.parse("m", second.after())).after());
    }

    @Test
    void volumeNamesStayUnique() throws Exception {
        String text = CorpusManifests.read(CorpusManifests.V1_29).replace("    name: ca-certs\n", "    name: audit-logs\n")
                .replace("      name: ca-certs\n", "      name: audit-logs\n");
        ManifestEdit edit = AuditManifestEditor.enable(ApiServerManifest.parse("m", text), AUDIT, SHA);
        assertEquals("/var/log/kubernetes/audit", PodView.of(edit.after()).hostPath("audit-logs-2"));
    }

    @Test
    void aMountAtTheLogDirectoryFromAnotherNodePathIsRefused() throws Exception {
        String text = CorpusManifests.read(CorpusManifests.V1_29)
                .replace("    - mountPath: /etc/pki\n", "    - mountPath: /var/log/kubernetes/audit\n");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AuditManifestEditor.enable(ApiServerManifest.parse("m.yaml", text), AUDIT, SHA));
        assertTrue(e.getMessage().startsWith("m.yaml:"), e.getMessage());
        assertTrue(e.getMessage().contains("already mounted from host path /etc/pki"), e.getMessage());
    }

    @Test
    void disableWithoutTheAgentsAnnotationChangesNothing() throws Exception {
        ManifestEdit edit = AuditManifestEditor.disable(CorpusManifests.parse(CorpusManifests.V1_32_FULL));
        assertFalse(edit.changed());
        assertEquals(List.of(), edit.changes());
    }

    @Test
    void aDamagedRecordIsRefusedWithWhatToDo() throws Exception {
        String enabled = AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_29).after();
        String damaged = enabled.replaceAll("kube-audit-agent/managed: '.*'", "kube-audit-agent/managed: '{\"flag\": 1}'");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AuditManifestEditor.disable(ApiServerManifest.parse("m.yaml", damaged)));
        assertTrue(e.getMessage().startsWith("m.yaml:5:31: annotation kube-audit-agent/managed"), e.getMessage());
        assertTrue(e.getMessage().contains("remove the annotation"), e.getMessage());
    }

    @Test
    void aBrokenPodIsRefusedRatherThanMadeWorse() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_21_BROKEN));
        assertTrue(e.getMessage().startsWith(CorpusManifests.V1_21_BROKEN + ":102:5: spec.volumes[0] has no name"), e.getMessage());
    }

    @Test
    void aBadPolicyHashIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> AuditManifestEditor.enable(CorpusManifests.parse(CorpusManifests.V1_29), AUDIT, "ABC"));
    }

    private static List<String> flagChanges(ManifestEdit edit) {
        return edit.changes().stream().filter(c -> c.matches("(added|changed|removed) flag .*")).toList();
    }

    static String resource(String path) throws IOException {
        try (InputStream in = AuditManifestEditorTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
