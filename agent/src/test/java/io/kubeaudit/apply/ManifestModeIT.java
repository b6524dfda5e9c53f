package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.sim.SimulatedNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest keeps the mode its owner gave it through setup and teardown (it was 0644 and came back 0600). */
class ManifestModeIT {

    @TempDir
    Path root;

    @Test
    void setupAndTeardownKeepTheManifestsMode() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            Files.setPosixFilePermissions(node.manifest(), PosixFilePermissions.fromString("rw-r--r--"));
            byte[] pristine = Files.readAllBytes(node.manifest());
            AgentConfig config = Sandbox.config(root, "minimal", Duration.ofSeconds(60), Sandbox.KUBECTL_GET_NODES, "");

            SetupOutcome.Applied up = assertInstanceOf(SetupOutcome.Applied.class, NodeSetup.forConfig(config, progress).setup(false),
                    printed::toString);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(node.manifest())));
            assertTrue(up.warnings().stream().anyMatch(w -> w.contains("is mode rw-r--r--") && w.contains("CIS 1.1.1")), up.warnings().toString());
            assertTrue(printed.toString().contains("(mode rw-r--r-- kept)"), printed::toString);

            assertInstanceOf(SetupOutcome.Applied.class, NodeSetup.forConfig(config, progress).teardown(false), printed::toString);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(node.manifest())));
            assertArrayEquals(pristine, Files.readAllBytes(node.manifest()), "teardown gives back the original bytes too");
        }
    }
}
