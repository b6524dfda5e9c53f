package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.yaml.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void theDocumentedExampleLoadsWithItsValues() throws Exception {
        String text = """
                root: /
                audit:   {policy: recommended, logPath: /var/log/kubernetes/audit/audit.log, maxAge: 30, maxBackup: 10, maxSize: 100, compress: false}
                apply:   {manifest: /etc/kubernetes/manifests/kube-apiserver.yaml, backupDir: /tmp, healthTimeout: 180s,
                          healthCommand: [kubectl, --kubeconfig, /etc/kubernetes/admin.conf, get, nodes]}
                ship:    {stateDir: /var/lib/kube-audit-agent, start: beginning, memoryBudget: 64MiB,
                          batch: {maxEvents: 1000, maxBytes: 4MiB, maxWait: 1s},
                          destinations: [{name: siem, type: webhook, url: "https://collector:8443/audit", gzip: true}]}
                metrics: {listen: "127.0.0.1:9880"}
                """;
        AgentConfig c = ConfigLoader.parse("config.yaml", text);
        assertEquals("/", c.root());
        assertEquals(10, c.audit().maxBackup());
        assertEquals(Duration.ofSeconds(180), c.apply().healthTimeout());
        assertEquals(List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "nodes"), c.apply().healthCommand());
        assertEquals(64L * 1024 * 1024, c.ship().memoryBudget());
        assertEquals(4L * 1024 * 1024, c.ship().batch().maxBytes());
        assertEquals(Duration.ofSeconds(1), c.ship().batch().maxWait());
        assertEquals("siem", c.ship().destinations().get(0).name());
        assertTrue(((WebhookConfig) c.ship().destinations().get(0)).http().gzip());
        assertEquals("127.0.0.1:9880", c.metrics().listen());
    }

    @Test
    void missingDefaultFileMeansDefaults(@TempDir Path dir) throws Exception {
        assertEquals(AgentConfig.defaults(), ConfigLoader.load(dir.resolve("none.yaml"), false));
    }

    @Test
    void missingExplicitFileIsAnError(@TempDir Path dir) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigLoader.load(dir.resolve("none.yaml"), true));
        assertTrue(e.getMessage().contains("none.yaml"), e.getMessage());
    }

    @Test
    void unknownKeyNamesFileLineAndColumn() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ConfigLoader.parse("c.yaml", "audit:\n  maxAge: 3\n  maxAgee: 4\n"));
        assertEquals("c.yaml:3:3: unknown field \"audit.maxAgee\"", e.getMessage());
    }

    @Test
    void wrongTypeNamesTheSettingAndPlace() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ConfigLoader.parse("c.yaml", "audit:\n  maxSize: big\n"));
        assertEquals("c.yaml:2:12: audit.maxSize must be a whole number, found \"big\"", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "ship:\n  memoryBudget: lots\n"));
        assertTrue(e.getMessage().startsWith("c.yaml:2:17: ship.memoryBudget must be a size"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "apply:\n  healthTimeout: 3 days\n"));
        assertTrue(e.getMessage().startsWith("c.yaml:2:18: apply.healthTimeout must be a duration"), e.getMessage());
    }

    @Test
    void duplicateDestinationNamesAndUnknownTypesAreRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml",
                "ship:\n  destinations:\n  - {name: a, type: webhook, url: 'http://x'}\n  - {name: a, type: webhook, url: 'http://y'}\n"));
        assertTrue(e.getMessage().contains("used twice"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml",
                "ship:\n  destinations:\n  - {name: a, type: carrier-pigeon, url: 'http://x'}\n"));
        assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
    }

    @Test
    void brokenYamlIsReportedWithItsPosition() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "audit: {maxAge: 3\n"));
        assertTrue(e.getMessage().startsWith("c.yaml:2:"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "audit: {}\naudit: {}\n"));
        assertTrue(e.getMessage().contains("duplicate key"), e.getMessage());
    }

    @Test
    void relativePathsAreRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "audit: {logPath: audit.log}\n"));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    @Test
    void shippingRetryAndShutdownSettingsLoadWithDefaults() throws Exception {
        AgentConfig c = ConfigLoader.parse("c.yaml", "ship: {retry: {initialBackoff: 250ms, maxBackoff: 1m}, shutdownTimeout: 20s}\n");
        assertEquals(Duration.ofMillis(250), c.ship().retry().initialBackoff());
        assertEquals(Duration.ofMinutes(1), c.ship().retry().maxBackoff());
        assertEquals(Duration.ofSeconds(20), c.ship().shutdownTimeout());
        AgentConfig d = ConfigLoader.parse("c.yaml", "ship: {stateDir: /var/lib/x}\n");
        assertEquals(RetryConfig.defaults(), d.ship().retry());
        assertEquals(Duration.ofSeconds(10), d.ship().shutdownTimeout());
    }

    @Test
    void badShippingSettingsNameTheSettingAndPlace() {
        InvalidInputException backoff = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml",
                "ship:\n  retry: {initialBackoff: 5s, maxBackoff: 1s}\n"));
        assertTrue(backoff.getMessage().startsWith("c.yaml:2:"), backoff.getMessage());
        assertTrue(backoff.getMessage().contains("ship.retry.maxBackoff"), backoff.getMessage());
        InvalidInputException tiny = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml",
                "ship:\n  destinations:\n  - {name: a, type: webhook, url: \"http://x\", maxEventBytes: 100}\n"));
        assertTrue(tiny.getMessage().contains("maxEventBytes must be at least 1KiB"), tiny.getMessage());
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml",
                "ship:\n  retry: {maxBackof: 1s}\n"));
        assertTrue(unknown.getMessage().contains("ship.retry.maxBackof"), unknown.getMessage());
    }
}
