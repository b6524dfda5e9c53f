package io.kubeaudit.kubeadm;

import static io.kubeaudit.kubeadm.KubeadmFixtures.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.kube.FakeKubeApi;
import io.kubeaudit.kube.Kubectl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-through through the real kubectl against a Kubernetes API on 127.0.0.1 holding kubeadm-config. */
class KubeadmWriteThroughIT {

    private static final String NAME = "kubeadm-config";

    @TempDir
    java.nio.file.Path dir;
    FakeKubeApi api;
    KubeadmWriteThrough writeThrough;

    @BeforeEach
    void start() throws Exception {
        api = new FakeKubeApi();
        writeThrough = new KubeadmWriteThrough(new Kubectl("kubectl", api.kubeconfig(dir.resolve("kubeconfig")), List.of(), dir));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ObjectNode serve(String fixture) throws Exception {
        ObjectNode configMap = KubeadmFixtures.configMap(fixture);
        api.put(FakeKubeApi.CONFIGMAPS, configMap);
        return configMap;
    }

    private ObjectNode stored() {
        return api.object(FakeKubeApi.CONFIGMAPS, NAME);
    }

    private String storedText() {
        return stored().path("data").path(KubeadmConfigMap.KEY).asText();
    }

    private int puts() {
        return api.requests("PUT", FakeKubeApi.CONFIGMAPS);
    }

    private static Map<?, ?> apiServer(String text) {
        return (Map<?, ?>) load(text).get("apiServer");
    }

    @Test
    void v1beta3IsWrittenOnceAndASecondRunWritesNothing() throws Exception {
        ObjectNode original = serve(KubeadmFixtures.V1BETA3);
        WriteThroughOutcome.Written written = assertInstanceOf(WriteThroughOutcome.Written.class, writeThrough.enable(AuditConfig.defaults(), false));
        assertEquals(1, written.attempts());
        assertEquals(1, puts());
        Map<?, ?> args = (Map<?, ?>) apiServer(storedText()).get("extraArgs");
        assertEquals("Node,RBAC", args.get("authorization-mode"));
        assertEquals("/etc/kubernetes/audit-policy.yaml", args.get("audit-policy-file"));
        assertEquals("30", args.get("audit-log-maxage"));
        assertEquals("json", args.get("audit-log-format"));
        Map<String, Object> before = load(original.path("data").path(KubeadmConfigMap.KEY).asText());
        Map<String, Object> after = load(storedText());
        assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()));
        assertEquals("4m0s", apiServer(storedText()).get("timeoutForControlPlane"));
        before.remove("apiServer");
        after.remove("apiServer");
        assertEquals(before, after);
        assertTrue(stored().path("metadata").path("annotations").path(WriteThroughRecord.ANNOTATION).asText().contains("audit-policy-file"));
        assertEquals(original.path("metadata").path("uid"), stored().path("metadata").path("uid"));

        WriteThroughOutcome again = writeThrough.enable(AuditConfig.defaults(), false);
        assertInstanceOf(WriteThroughOutcome.Unchanged.class, again);
        assertEquals(1, puts());
    }

    @Test
    void v1beta4GetsItsListAndTeardownLeavesWhatKubeadmWrote() throws Exception {
        ObjectNode original = serve(KubeadmFixtures.V1BETA4);
        assertInstanceOf(WriteThroughOutcome.Written.class, writeThrough.enable(AuditConfig.defaults(), false));
        List<?> args = (List<?>) apiServer(storedText()).get("extraArgs");
        assertTrue(args.contains(Map.of("name", "audit-log-maxbackup", "value", "10")), args.toString());

        WriteThroughOutcome.Written removed = assertInstanceOf(WriteThroughOutcome.Written.class, writeThrough.disable(false));
        assertTrue(removed.changes().contains("apiServer.extraArgs: removed audit-log-maxbackup=10"), removed.changes().toString());
        assertEquals(load(original.path("data").path(KubeadmConfigMap.KEY).asText()), load(storedText()));
        assertTrue(stored().path("metadata").path("annotations").isMissingNode(), stored().toString());
        assertInstanceOf(WriteThroughOutcome.Unchanged.class, writeThrough.disable(false));
        assertEquals(2, puts());
    }

    @Test
    void theOperatorsOwnSettingsStayAndTheirMaxAgeComesBackAtTeardown() throws Exception {
        ObjectNode original = serve(KubeadmFixtures.V1BETA3_OPERATOR);
        WriteThroughOutcome.Written on = assertInstanceOf(WriteThroughOutcome.Written.class, writeThrough.enable(AuditConfig.defaults(), false));
        assertTrue(on.changes().contains("apiServer.extraArgs: audit-log-maxage set to 30 (was 7)"), on.changes().toString());
        Map<?, ?> args = (Map<?, ?>) apiServer(storedText()).get("extraArgs");
        assertEquals("30", args.get("audit-log-maxage"));
        assertEquals("NodeRestriction,AlwaysPullImages", args.get("enable-admission-plugins"));
        List<?> volumes = (List<?>) apiServer(storedText()).get("extraVolumes");
        assertEquals("encryption-config", ((Map<?, ?>) volumes.get(0)).get("name"));
        assertEquals(List.of("k8s-api.example.com"), apiServer(storedText()).get("certSANs"));

        assertInstanceOf(WriteThroughOutcome.Written.class, writeThrough.disable(false));
        assertEquals(load(original.path("data").path(KubeadmConfigMap.KEY).asText()), load(storedText()));
        assertEquals("7", ((Map<?, ?>) apiServer(storedText()).get("extraArgs")).get("audit-log-maxage"));
    }

    @Test
    void aConflictingUpdateIsReadAgainAndKeptAlongsideOurs() throws Exception {
        serve(KubeadmFixtures.V1BETA4_OPERATOR);
        // Two other writers (a kubeadm upgrade, another node's agent) get in between our read and our write.
        api.raceAfterGets(2, cm -> {
            ObjectNode data = (ObjectNode) cm.get("data");
            data.put(KubeadmConfigMap.KEY, data.get(KubeadmConfigMap.KEY).asText().replace("kubernetesVersion: v1.32.2", "kubernetesVersion: v1.33.0"));
        });
        WriteThroughOutcome.Written written = assertInstanceOf(WriteThroughOutcome.Written.class, writeThrough.enable(AuditConfig.defaults(), false));
        assertEquals(3, written.attempts());
        assertTrue(written.detail().contains("after 2 conflicting updates by others"), written.detail());
        assertEquals(3, puts());
        assertEquals("v1.33.0", load(storedText()).get("kubernetesVersion"));
        assertTrue(apiServer(storedText()).get("extraArgs").toString().contains("audit-policy-file"));
    }

    @Test
    void anObjectThatKeepsChangingIsAReportedFailureWithNothingWritten() throws Exception {
        serve(KubeadmFixtures.V1BETA3);
        api.raceAfterGets(Integer.MAX_VALUE, cm -> cm.withObjectProperty("metadata").withObjectProperty("labels").put("touched", "yes"));
        WriteThroughOutcome.Failed failed = assertInstanceOf(WriteThroughOutcome.Failed.class, writeThrough.enable(AuditConfig.defaults(), false));
        assertTrue(failed.detail().contains("409 Conflict every time"), failed.detail());
        assertTrue(failed.problem());
        assertEquals(KubeadmWriteThrough.ATTEMPTS, puts());
        assertFalse(storedText().contains("audit-"), storedText());
    }

    @Test
    void withoutKubeadmConfigThereIsNothingToWriteThrough() throws Exception {
        WriteThroughOutcome.Skipped skipped = assertInstanceOf(WriteThroughOutcome.Skipped.class, writeThrough.enable(AuditConfig.defaults(), false));
        assertTrue(skipped.detail().contains("there is no ConfigMap kube-system/kubeadm-config, so this cluster was not set up by kubeadm"),
                skipped.detail());
        assertTrue(skipped.detail().contains("set setup.kubeadmConfig: off"), skipped.detail());
        assertEquals(0, puts());
    }

    @Test
    void anOlderKubeadmApiVersionIsRefusedAndLeftAlone() throws Exception {
        ObjectNode original = serve(KubeadmFixtures.V1BETA2);
        WriteThroughOutcome.Refused refused = assertInstanceOf(WriteThroughOutcome.Refused.class, writeThrough.enable(AuditConfig.defaults(), false));
        assertTrue(refused.detail().contains("apiVersion \"kubeadm.k8s.io/v1beta2\""), refused.detail());
        assertEquals(0, puts());
        assertEquals(original.path("data"), stored().path("data"));
    }

    @Test
    void aDryRunShowsTheDiffAndWritesNothing() throws Exception {
        serve(KubeadmFixtures.V1BETA3_OPERATOR);
        WriteThroughOutcome.Planned planned = assertInstanceOf(WriteThroughOutcome.Planned.class, writeThrough.enable(AuditConfig.defaults(), true));
        assertTrue(planned.changes().contains("apiServer.extraArgs: added audit-policy-file=/etc/kubernetes/audit-policy.yaml"),
                planned.changes().toString());
        assertTrue(planned.diff().contains("-    audit-log-maxage: \"7\"\n+    audit-log-maxage: \"30\""), planned.diff());
        assertEquals(0, puts());
        assertInstanceOf(WriteThroughOutcome.Unchanged.class, writeThrough.disable(true));
    }

    @Test
    void anUnreachableApiIsAReportedFailure() throws Exception {
        api.close();
        WriteThroughOutcome.Failed failed = assertInstanceOf(WriteThroughOutcome.Failed.class, writeThrough.enable(AuditConfig.defaults(), false));
        assertTrue(failed.detail().startsWith("cannot read ConfigMap kube-system/kubeadm-config: "), failed.detail());
        assertNull(failed.diff());
    }
}
