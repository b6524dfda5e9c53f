package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.yaml.InvalidInputException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SetupConfigTest {

    @Test
    void theShippedConfigFileSaysExactlyWhatTheDefaultsAre() throws Exception {
        Path shipped = Path.of(System.getProperty("user.dir")).getParent().resolve("config/config.yaml");
        assertEquals(AgentConfig.defaults(), ConfigLoader.load(shipped, true));
    }

    @Test
    void setupSectionIsRead() throws Exception {
        AgentConfig c = ConfigLoader.parse("c.yaml", """
                setup: {enabled: false, reconcileInterval: 5s, onDrift: report, backoff: {initial: 1s, max: 8s},
                        lease: {enabled: false, duration: 2m, kubeconfig: /etc/kubernetes/super-admin.conf}}
                """);
        assertFalse(c.setup().enabled());
        assertEquals(Duration.ofSeconds(5), c.setup().reconcileInterval());
        assertEquals(SetupConfig.DriftAction.REPORT, c.setup().onDrift());
        assertEquals(Duration.ofSeconds(1), c.setup().backoffInitial());
        assertEquals(Duration.ofSeconds(8), c.setup().backoffMax());
        assertEquals(new SetupConfig.Lease(false, Duration.ofMinutes(2), "/etc/kubernetes/super-admin.conf"), c.setup().lease());
        assertEquals(SetupConfig.KubeadmConfig.OFF, c.setup().kubeadmConfig());
        assertEquals(SetupConfig.KubeadmConfig.WRITE_THROUGH,
                ConfigLoader.parse("c.yaml", "setup: {kubeadmConfig: writeThrough}\n").setup().kubeadmConfig());
        assertEquals(SetupConfig.KubeadmConfig.OFF, ConfigLoader.parse("c.yaml", "setup: {kubeadmConfig: off}\n").setup().kubeadmConfig());
    }

    @Test
    void badSetupValuesNameTheirPlace() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "setup:\n  onDrift: fix\n"));
        assertTrue(e.getMessage().startsWith("c.yaml:2:12: setup.onDrift must be reapply or report"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "setup:\n  backoff: {initial: 1m, max: 10s}\n"));
        assertTrue(e.getMessage().contains("setup.backoff needs 0 < initial <= max"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "setup:\n  backoff: {start: 1s}\n"));
        assertTrue(e.getMessage().contains("unknown field \"setup.backoff.start\""), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "setup:\n  kubeadmConfig: yes\n"));
        assertTrue(e.getMessage().startsWith("c.yaml:2:18: setup.kubeadmConfig must be writeThrough or off, found \"yes\""), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", "setup:\n  reconcileInterval: 10ms\n"));
        assertTrue(e.getMessage().contains("at least 1s"), e.getMessage());
    }
}
