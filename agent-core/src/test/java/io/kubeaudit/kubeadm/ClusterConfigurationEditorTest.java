package io.kubeaudit.kubeadm;

import static io.kubeaudit.kubeadm.KubeadmFixtures.clusterConfiguration;
import static io.kubeaudit.kubeadm.KubeadmFixtures.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.manifest.AuditSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ClusterConfiguration edit alone, on the fixtures' texts: what is set, kept, recorded and given back. */
class ClusterConfigurationEditorTest {

    private static final AuditSettings DEFAULTS = AuditSettings.of(AuditConfig.defaults(), Optional.empty());

    private static ClusterConfigurationEdit enable(String text, WriteThroughRecord previous, AuditSettings wanted) throws Exception {
        return ClusterConfigurationEditor.enable(ClusterConfiguration.parse(text), previous, wanted);
    }

    private static ClusterConfigurationEdit disable(String text, WriteThroughRecord previous) throws Exception {
        return ClusterConfigurationEditor.disable(ClusterConfiguration.parse(text), previous);
    }

    /** The fixture's text with {@code lines} added to its apiServer mapping. */
    private static String withApiServerLines(String text, String... lines) {
        return text.replace("  timeoutForControlPlane: 4m0s", String.join("\n", lines) + "\n  timeoutForControlPlane: 4m0s");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> apiServer(String text) {
        return (Map<String, Object>) load(text).get("apiServer");
    }

    @Test
    void v1beta3GetsTheManifestsFlagsAsAMapAndItsVolumesWrittenAsKubeadmWritesThem() throws Exception {
        ClusterConfigurationEdit edit = enable(clusterConfiguration(KubeadmFixtures.V1BETA3), WriteThroughRecord.NONE, DEFAULTS);
        assertEquals("""
                apiServer:
                  extraArgs:
                    authorization-mode: Node,RBAC
                    audit-policy-file: /etc/kubernetes/audit-policy.yaml
                    audit-log-path: /var/log/kubernetes/audit/audit.log
                    audit-log-maxage: "30"
                    audit-log-maxbackup: "10"
                    audit-log-maxsize: "100"
                    audit-log-format: json
                  timeoutForControlPlane: 4m0s
                  extraVolumes:
                  - hostPath: /etc/kubernetes/audit-policy.yaml
                    mountPath: /etc/kubernetes/audit-policy.yaml
                    name: audit-policy
                    pathType: File
                    readOnly: true
                  - hostPath: /var/log/kubernetes/audit
                    mountPath: /var/log/kubernetes/audit
                    name: audit-logs
                    pathType: DirectoryOrCreate
                apiVersion: kubeadm.k8s.io/v1beta3
                certificatesDir: /etc/kubernetes/pki
                clusterName: kubernetes
                controlPlaneEndpoint: 192.168.35.10:6443
                controllerManager: {}
                dns: {}
                etcd:
                  local:
                    dataDir: /var/lib/etcd
                imageRepository: registry.k8s.io
                kind: ClusterConfiguration
                kubernetesVersion: v1.28.13
                networking:
                  dnsDomain: cluster.local
                  podSubnet: 10.244.0.0/16
                  serviceSubnet: 10.96.0.0/12
                scheduler: {}
                """, edit.after());
        assertEquals(List.of("audit-policy-file", "audit-log-path", "audit-log-maxage", "audit-log-maxbackup", "audit-log-maxsize",
                "audit-log-format"), edit.record().args());
        assertEquals(List.of("audit-policy", "audit-logs"), edit.record().volumes());
        assertEquals(8, edit.changes().size(), edit.changes().toString());
        assertTrue(edit.changes().contains("apiServer.extraArgs: added audit-log-maxage=30"), edit.changes().toString());
        assertTrue(edit.diff().contains("+    audit-log-maxage: \"30\""), edit.diff());
    }

    @Test
    void v1beta4GetsAListOfNameValueWithStringValuesInAnEmptyApiServer() throws Exception {
        ClusterConfigurationEdit edit = enable(clusterConfiguration(KubeadmFixtures.V1BETA4), WriteThroughRecord.NONE, DEFAULTS);
        assertTrue(edit.after().startsWith("""
                apiServer:
                  extraArgs:
                  - name: audit-policy-file
                    value: /etc/kubernetes/audit-policy.yaml
                  - name: audit-log-path
                    value: /var/log/kubernetes/audit/audit.log
                  - name: audit-log-maxage
                    value: "30"
                """), edit.after());
        List<?> args = (List<?>) apiServer(edit.after()).get("extraArgs");
        assertEquals(Map.of("name", "audit-log-maxage", "value", "30"), args.get(2));
        assertEquals(6, args.size());
        assertEquals(2, ((List<?>) apiServer(edit.after()).get("extraVolumes")).size());
        Map<String, Object> before = load(clusterConfiguration(KubeadmFixtures.V1BETA4));
        Map<String, Object> after = load(edit.after());
        after.remove("apiServer");
        before.remove("apiServer");
        assertEquals(before, after);
        assertEquals(List.copyOf(load(clusterConfiguration(KubeadmFixtures.V1BETA4)).keySet()), List.copyOf(load(edit.after()).keySet()));
    }

    @Test
    void theSameSettingsAgainChangeNothing() throws Exception {
        for (String fixture : List.of(KubeadmFixtures.V1BETA3, KubeadmFixtures.V1BETA4, KubeadmFixtures.V1BETA3_OPERATOR,
                KubeadmFixtures.V1BETA4_OPERATOR)) {
            ClusterConfigurationEdit first = enable(clusterConfiguration(fixture), WriteThroughRecord.NONE, DEFAULTS);
            assertTrue(first.changed(), fixture);
            ClusterConfigurationEdit second = enable(first.after(), first.record(), DEFAULTS);
            assertFalse(second.changed(), fixture + ": " + second.changes());
            assertEquals(first.after(), second.after(), fixture);
        }
    }

    @Test
    void anOperatorsOwnAuditMaxAgeIsReplacedAndComesBackOnDisableWithEverythingElseKept() throws Exception {
        String original = clusterConfiguration(KubeadmFixtures.V1BETA3_OPERATOR);
        ClusterConfigurationEdit on = enable(original, WriteThroughRecord.NONE, DEFAULTS);
        Map<?, ?> args = (Map<?, ?>) apiServer(on.after()).get("extraArgs");
        assertEquals("30", args.get("audit-log-maxage"));
        assertEquals("NodeRestriction,AlwaysPullImages", args.get("enable-admission-plugins"));
        assertEquals("/etc/kubernetes/enc/encryption-config.yaml", args.get("encryption-provider-config"));
        assertTrue(on.changes().contains("apiServer.extraArgs: audit-log-maxage set to 30 (was 7)"), on.changes().toString());
        assertEquals(List.of(new WriteThroughRecord.Restore("audit-log-maxage", 0, "7")), on.record().restores());
        assertFalse(on.record().args().contains("audit-log-maxage"));
        List<?> volumes = (List<?>) apiServer(on.after()).get("extraVolumes");
        assertEquals(3, volumes.size());
        assertEquals("encryption-config", ((Map<?, ?>) volumes.get(0)).get("name"));

        ClusterConfigurationEdit off = disable(on.after(), on.record());
        assertEquals(load(original), load(off.after()));
        assertTrue(off.changes().contains("apiServer.extraArgs: audit-log-maxage set to 7 (was 30)"), off.changes().toString());
        assertEquals(WriteThroughRecord.NONE, off.record());
    }

    @Test
    void v1beta4KeepsRepeatedArgumentsAndGivesTheOperatorsBackOnDisable() throws Exception {
        String original = clusterConfiguration(KubeadmFixtures.V1BETA4_OPERATOR);
        ClusterConfigurationEdit on = enable(original, WriteThroughRecord.NONE, DEFAULTS);
        ExtraArgs args = ClusterConfiguration.parse(on.after()).extraArgs();
        assertEquals(List.of("https://kubernetes.default.svc.cluster.local", "https://oidc.example.com"), args.values("service-account-issuer"));
        assertEquals(List.of("30"), args.values("audit-log-maxage"));
        assertEquals(List.of("/etc/kubernetes/admission/admission-config.yaml"), args.values("admission-control-config-file"));
        assertEquals(List.of(Map.of("name", "HTTPS_PROXY", "value", "http://proxy.example.com:3128")), apiServer(on.after()).get("extraEnvs"));

        ClusterConfigurationEdit off = disable(on.after(), on.record());
        assertEquals(load(original), load(off.after()));
    }

    @Test
    void aChangedSettingReplacesTheAgentsValueAndTeardownStillRestoresTheOperators() throws Exception {
        ClusterConfigurationEdit first = enable(clusterConfiguration(KubeadmFixtures.V1BETA3_OPERATOR), WriteThroughRecord.NONE, DEFAULTS);
        AuditConfig longer = new AuditConfig("recommended", "/etc/kubernetes/audit-policy.yaml", "/var/log/kube-audit/audit.log", 60, 10, 100, false);
        ClusterConfigurationEdit second = enable(first.after(), first.record(), AuditSettings.of(longer, Optional.empty()));
        assertTrue(second.changes().contains("apiServer.extraArgs: audit-log-maxage set to 60 (was 30)"), second.changes().toString());
        assertTrue(second.changes().contains("apiServer.extraArgs: audit-log-path set to /var/log/kube-audit/audit.log (was /var/log/kubernetes/audit/audit.log)"),
                second.changes().toString());
        assertTrue(second.changes().stream().anyMatch(c -> c.startsWith("apiServer.extraVolumes: audit-logs (host path /var/log/kube-audit")),
                second.changes().toString());
        assertEquals(List.of(new WriteThroughRecord.Restore("audit-log-maxage", 0, "7")), second.record().restores());
        assertEquals(load(clusterConfiguration(KubeadmFixtures.V1BETA3_OPERATOR)), load(disable(second.after(), second.record()).after()));
    }

    @Test
    void compressionFollowsTheManifestEditor() throws Exception {
        AuditConfig compress = new AuditConfig("recommended", "/etc/kubernetes/audit-policy.yaml", "/var/log/kubernetes/audit/audit.log", 30, 10, 100, true);
        ClusterConfigurationEdit on = enable(clusterConfiguration(KubeadmFixtures.V1BETA3), WriteThroughRecord.NONE, AuditSettings.of(compress, Optional.empty()));
        assertEquals("true", ((Map<?, ?>) apiServer(on.after()).get("extraArgs")).get("audit-log-compress"));

        String operatorCompresses = clusterConfiguration(KubeadmFixtures.V1BETA3).replace("authorization-mode: Node,RBAC",
                "audit-log-compress: \"true\"\n    authorization-mode: Node,RBAC");
        ClusterConfigurationEdit off = enable(operatorCompresses, WriteThroughRecord.NONE, DEFAULTS);
        assertEquals("false", ((Map<?, ?>) apiServer(off.after()).get("extraArgs")).get("audit-log-compress"));
        assertEquals(load(operatorCompresses), load(disable(off.after(), off.record()).after()));
    }

    @Test
    void anOperatorsVolumeForTheSamePathIsReusedAndATakenNameGetsASuffix() throws Exception {
        String withVolumes = withApiServerLines(clusterConfiguration(KubeadmFixtures.V1BETA3),
                "  extraVolumes:",
                "  - hostPath: /etc/kubernetes/audit-policy.yaml",
                "    mountPath: /etc/kubernetes/audit-policy.yaml",
                "    name: audit",
                "    pathType: File",
                "    readOnly: true",
                "  - hostPath: /srv/audit-logs",
                "    mountPath: /srv/audit-logs",
                "    name: audit-logs");
        ClusterConfigurationEdit on = enable(withVolumes, WriteThroughRecord.NONE, DEFAULTS);
        assertEquals(List.of("audit-logs-2"), on.record().volumes());
        List<HostPathVolume> volumes = ClusterConfiguration.parse(on.after()).extraVolumes().all();
        assertEquals(List.of("audit", "audit-logs", "audit-logs-2"), volumes.stream().map(HostPathVolume::name).toList());
        assertEquals(new HostPathVolume("audit-logs-2", "/var/log/kubernetes/audit", "/var/log/kubernetes/audit", false, "DirectoryOrCreate"),
                volumes.get(2));
        assertEquals(load(withVolumes), load(disable(on.after(), on.record()).after()));
    }

    @Test
    void aVolumeMountingSomethingElseAtTheSamePathIsRefused() throws Exception {
        String conflicting = withApiServerLines(clusterConfiguration(KubeadmFixtures.V1BETA3),
                "  extraVolumes:",
                "  - hostPath: /var/log/apiserver-audit",
                "    mountPath: /var/log/kubernetes/audit/",
                "    name: audit-log",
                "    pathType: DirectoryOrCreate");
        KubeadmConfigException e = assertThrows(KubeadmConfigException.class, () -> enable(conflicting, WriteThroughRecord.NONE, DEFAULTS));
        assertTrue(e.getMessage().contains("already has audit-log (host path /var/log/apiserver-audit at /var/log/kubernetes/audit/"), e.getMessage());
        assertTrue(e.getMessage().contains("kube-apiserver needs host path /var/log/kubernetes/audit there"), e.getMessage());
    }

    @Test
    void unknownApiVersionsAndShapesAreRefused() throws Exception {
        KubeadmConfigException old = assertThrows(KubeadmConfigException.class,
                () -> ClusterConfiguration.parse(clusterConfiguration(KubeadmFixtures.V1BETA2)));
        assertTrue(old.getMessage().contains("has apiVersion \"kubeadm.k8s.io/v1beta2\"; kube-audit-agent writes through only to"
                + " kubeadm.k8s.io/v1beta3 and v1beta4"), old.getMessage());
        String listInV1beta3 = clusterConfiguration(KubeadmFixtures.V1BETA3).replace("    authorization-mode: Node,RBAC",
                "  - name: authorization-mode\n    value: Node,RBAC");
        KubeadmConfigException shape = assertThrows(KubeadmConfigException.class,
                () -> enable(listInV1beta3, WriteThroughRecord.NONE, DEFAULTS));
        assertTrue(shape.getMessage().contains("apiServer.extraArgs is not a map of flag name to value, as kubeadm.k8s.io/v1beta3 has it"),
                shape.getMessage());
        assertThrows(KubeadmConfigException.class, () -> ClusterConfiguration.parse("kind: InitConfiguration\napiVersion: kubeadm.k8s.io/v1beta3\n"));
        assertThrows(KubeadmConfigException.class, () -> ClusterConfiguration.parse("apiServer: [\n"));
    }

    @Test
    void theRecordRoundTripsAndAForeignOneIsRefused() throws Exception {
        WriteThroughRecord record = new WriteThroughRecord(List.of("audit-log-path"), List.of(new WriteThroughRecord.Restore("audit-log-maxage", 0, "7")),
                List.of("audit-logs"));
        assertEquals(record, WriteThroughRecord.fromJson(record.toJson()));
        assertEquals(WriteThroughRecord.NONE, WriteThroughRecord.fromJson(null));
        KubeadmConfigException e = assertThrows(KubeadmConfigException.class, () -> WriteThroughRecord.fromJson("{\"flags\":[]}"));
        assertTrue(e.getMessage().contains("annotation kube-audit-agent/managed on ConfigMap kube-system/kubeadm-config is not what"
                + " kube-audit-agent writes (unknown field \"flags\")"), e.getMessage());
    }
}
