package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.cli.Main;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.kube.FakeKubeApi;
import io.kubeaudit.kubeadm.KubeadmWriteThrough;
import io.kubeaudit.log.Log;
import io.kubeaudit.setup.SetupRun;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The daemon's reconcile with setup.kubeadmConfig: writeThrough: the real write-through (kubectl, through the
 * config's kubeconfig) after a healthy pass only, its outcome on the result, its counters, log and status line.
 */
class KubeadmReconcileIT {

    @TempDir
    Path root;
    FakeKubeApi api;

    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private final ReconcilerTest.FakeSetup setup = new ReconcilerTest.FakeSetup();
    private final DaemonCounters counters = new DaemonCounters();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    /** GETs of kubeadm-config seen when the node's transaction ended (it gives the lease back as its last step). */
    private int getsAtRelease = -1;
    private final SetupRun.Transaction node = (operation, mode) -> {
        SetupOutcome outcome = setup.run(operation, mode);
        if (mode == SetupRun.Mode.APPLY) {
            getsAtRelease = api.requests("GET", FakeKubeApi.CONFIGMAPS);
        }
        return outcome;
    };
    private final Reconciler reconciler = new Reconciler(c -> new SetupRun(c, node, KubeadmWriteThrough.forConfig(c)), counters,
            new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), () -> now, true, false), () -> now);

    @BeforeEach
    void start() throws Exception {
        api = new FakeKubeApi();
        Files.createDirectories(root.resolve("etc/kubernetes"));
        api.kubeconfig(root.resolve("etc/kubernetes/admin.conf"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private AgentConfig config(SetupConfig.KubeadmConfig mode) {
        AgentConfig d = AgentConfig.defaults();
        return new AgentConfig(root.toString(), d.audit(), d.apply(), d.ship(), d.metrics(), SetupConfig.defaults().withKubeadmConfig(mode));
    }

    private void serveKubeadmConfig() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/kubeadm/v1beta4-kubeadm-1.31.yaml")) {
            Map<String, Object> yaml = new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            api.put(FakeKubeApi.CONFIGMAPS, (ObjectNode) new ObjectMapper().valueToTree(yaml));
        }
    }

    @Test
    void aHealthyApplyIsWrittenThroughAfterTheLeaseIsGivenBackAndInSyncPassesOnlyRead() throws Exception {
        serveKubeadmConfig();
        AgentConfig c = config(SetupConfig.KubeadmConfig.WRITE_THROUGH);
        ReconcileResult applied = reconciler.reconcile(c, ReconcileResult.Trigger.START);
        assertEquals(ReconcileResult.Kind.APPLIED, applied.kind());
        assertEquals("written", applied.kubeadmConfig().outcome(), applied.kubeadmConfig().toString());
        assertEquals(0, getsAtRelease, "the lease is released before kubeadm-config is touched");
        assertEquals(1, counters.kubeadmConfigWrites.get());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("audit settings written through to kube-system/kubeadm-config"), logged.toString());

        ReconcileResult inSync = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.IN_SYNC, inSync.kind());
        assertEquals("unchanged", inSync.kubeadmConfig().outcome());
        assertEquals(1, api.requests("PUT", FakeKubeApi.CONFIGMAPS));
        assertEquals(1, counters.kubeadmConfigWrites.get());
    }

    @Test
    void aFailedApplyLeavesKubeadmConfigAlone() throws Exception {
        serveKubeadmConfig();
        setup.failing = true;
        ReconcileResult failed = reconciler.reconcile(config(SetupConfig.KubeadmConfig.WRITE_THROUGH), ReconcileResult.Trigger.START);
        assertEquals(ReconcileResult.Kind.APPLY_FAILED, failed.kind());
        assertNull(failed.kubeadmConfig());
        assertEquals(0, api.requests("GET", FakeKubeApi.CONFIGMAPS));
    }

    @Test
    void aProblemIsReportedOnAHealthyPassLoggedOnceAndShownByStatus() throws Exception {
        AgentConfig c = config(SetupConfig.KubeadmConfig.WRITE_THROUGH);
        setup.drifted = false;
        ReconcileResult first = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        ReconcileResult second = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.IN_SYNC, second.kind(), "a write-through problem does not change the pass");
        assertEquals("skipped", second.kubeadmConfig().outcome());
        assertTrue(second.kubeadmConfig().problem());
        assertEquals(2, counters.kubeadmConfigProblems.get());
        String log = logged.toString(StandardCharsets.UTF_8);
        assertEquals(log.indexOf("kube-system/kubeadm-config not updated"), log.lastIndexOf("kube-system/kubeadm-config not updated"), log);

        new StatusFile(root.resolve("var/lib/kube-audit-agent")).write(new DaemonStatus(4194305, now, now, "running", "/etc/kube-audit-agent/config.yaml",
                first, counters.snapshot(), ShippingSnapshot.idle(), null, null, second.kubeadmConfig()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(new String[] {"status", "--root", root.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String status = out.toString(StandardCharsets.UTF_8);
        assertTrue(status.contains("kubeadm-config write-through 2026-11-26T10:00:00Z: skipped - there is no ConfigMap kube-system/kubeadm-config"), status);
        assertTrue(status.contains("kubeadm-config writes 0 (2 problems)"), status);
        assertTrue(status.contains("warning: kubeadm-config write-through skipped: there is no ConfigMap"), status);
    }

    @Test
    void offMeansKubeadmConfigIsNeverAsked() throws Exception {
        serveKubeadmConfig();
        ReconcileResult applied = reconciler.reconcile(config(SetupConfig.KubeadmConfig.OFF), ReconcileResult.Trigger.START);
        assertEquals(ReconcileResult.Kind.APPLIED, applied.kind());
        assertNull(applied.kubeadmConfig());
        assertEquals(0, api.requests("GET", FakeKubeApi.CONFIGMAPS));
    }
}
