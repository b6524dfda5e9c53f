package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.AuditManifestEditor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs status (or another command) on {@code root} with a config whose metrics endpoint is off, so nothing else on this machine answers. */
    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void reportsManifestFlagsPolicyAndTheDaemonsLastStatus(@TempDir Path root) throws Exception {
        quietConfig(root, "");
        Path manifests = Files.createDirectories(root.resolve("etc/kubernetes/manifests"));
        try (InputStream in = getClass().getResourceAsStream("/corpus/manifests/kubeadm-v1.32-austintalbot-cks-at-full-audit.yaml")) {
            Files.write(manifests.resolve("kube-apiserver.yaml"), in.readAllBytes());
        }
        try (InputStream in = getClass().getResourceAsStream("/policies/recommended.yaml")) {
            Files.write(root.resolve("etc/kubernetes/audit-policy.yaml"), in.readAllBytes());
        }
        Path state = Files.createDirectories(root.resolve("var/lib/kube-audit-agent"));
        // What a daemon that has since died left behind (pid 2^22+1 cannot exist on Linux).
        Files.writeString(state.resolve("daemon-status.json"), """
                {"pid": 4194305, "startedAt": "2026-11-26T10:00:00Z", "updatedAt": "2026-11-26T10:05:00Z", "state": "running",
                 "configFile": "/etc/kube-audit-agent/config.yaml",
                 "lastReconcile": {"at": "2026-11-26T10:04:00Z", "trigger": "FILE_CHANGE", "kind": "APPLY_FAILED", "differences": ["x"],
                                   "detail": "setup failed and was rolled back", "nextAttempt": "2026-11-26T10:04:30Z"},
                 "counters": {"driftsDetected": 1, "applies": 2, "applyFailures": 1, "reloads": 0, "reloadsRejected": 0},
                 "shipping": {"eventsRead": 5, "eventsAcknowledged": 5, "eventsPerSecond": 1.5, "lagBytes": 0,
                              "destinations": [{"name": "siem", "type": "webhook", "eventsAcknowledged": 5, "lastAck": "2026-11-26T10:04:59Z",
                                                "lagBytes": 0, "errors": 0, "lastError": "", "checkpoint": "/var/log/kubernetes/audit/audit.log@1234"}]}}
                """);

        assertEquals(Main.UNHEALTHY, run("status", "--root", root.toString(), "--output", "json"), err.toString(StandardCharsets.UTF_8));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        JsonNode setup = json.get("details").get("setup");
        assertEquals("/etc/kubernetes/audit-policy.yaml", setup.get("manifestAuditFlags").get("--audit-policy-file").asText());
        assertEquals(setup.get("policyConfiguredSha256").asText(), setup.get("policyInstalledSha256").asText());
        JsonNode daemon = json.get("details").get("daemon");
        assertFalse(daemon.get("running").asBoolean());
        assertEquals("2026-11-26T10:04:59Z", daemon.get("last").get("shipping").get("destinations").get(0).get("lastAck").asText());
        assertFalse(json.get("details").get("healthy").asBoolean());
        String warnings = json.get("warnings").toString();
        assertTrue(warnings.contains("the daemon is not running") && warnings.contains("APPLY_FAILED"), warnings);

        // The corpus manifest was set up by hand with other values: every setting that differs is named.
        assertTrue(warnings.contains("manifest: --audit-log-format is missing, the config says json"), warnings);

        out.reset();
        assertEquals(Main.UNHEALTHY, run("status", "--root", root.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("setup: managed by the daemon"), text);
        assertTrue(text.contains("last reconcile 2026-11-26T10:04:00Z (file_change): apply failed - setup failed and was rolled back; next attempt"), text);
        assertTrue(text.contains("siem (webhook): last ack 2026-11-26T10:04:59Z, lag 0 B, 0 errors, checkpoint /var/log/kubernetes/audit/audit.log@1234"), text);
    }

    @Test
    void anEmptyNodeSaysNoManifestAndNoDaemonAndExitsUnhealthy(@TempDir Path root) throws Exception {
        quietConfig(root, "");
        assertEquals(Main.UNHEALTHY, run("status", "--root", root.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("setup: no daemon has run with this state directory (setup.enabled: true)"), text);
        assertTrue(text.contains("manifest /etc/kubernetes/manifests/kube-apiserver.yaml: no manifest"), text);
        assertTrue(text.contains("daemon: never ran with this state directory"), text);
        String warnings = err.toString(StandardCharsets.UTF_8);
        assertTrue(warnings.contains("warning: no manifest at /etc/kubernetes/manifests/kube-apiserver.yaml"), warnings);
        assertTrue(warnings.contains("warning: no daemon has run with this state directory"), warnings);
    }

    @Test
    void aManifestAsSetupLeavesItDiffersOnlyWhereTheConfigChanged(@TempDir Path root) throws Exception {
        Path manifests = Files.createDirectories(root.resolve("etc/kubernetes/manifests"));
        String pristine;
        try (InputStream in = getClass().getResourceAsStream("/corpus/manifests/kubeadm-v1.29-zetaoss-etc-dump-pristine.yaml")) {
            pristine = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        AgentConfig defaults = AgentConfig.defaults();
        Files.writeString(manifests.resolve("kube-apiserver.yaml"),
                AuditManifestEditor.enable(ApiServerManifest.parse("m", pristine), defaults.audit(), "0".repeat(64)).after());
        Path config = Files.writeString(root.resolve("config.yaml"), "audit: {maxSize: 200, maxBackup: 3, compress: true}\nmetrics: {listen: \"\"}\n");

        run("status", "--root", root.toString(), "--config", config.toString(), "--output", "json");
        String warnings = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("warnings").toString();
        assertTrue(warnings.contains("manifest: --audit-log-maxsize is 100, the config says 200"), warnings);
        assertTrue(warnings.contains("manifest: --audit-log-maxbackup is 10, the config says 3"), warnings);
        assertTrue(warnings.contains("manifest: --audit-log-compress is missing, the config says true"), warnings);
        assertFalse(warnings.contains("--audit-log-maxage"), "an equal setting is not reported: " + warnings);
    }

    /** The node's default config, with the metrics endpoint off (a shipper of another test could answer on the default port). */
    private static void quietConfig(Path root, String more) throws Exception {
        Files.writeString(Files.createDirectories(root.resolve("etc/kube-audit-agent")).resolve("config.yaml"), "metrics: {listen: \"\"}\n" + more);
    }
}
