package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.process.Executables;
import io.kubeaudit.sim.SimulatedNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a setup at every step, and at random moments, leaves the manifest either old or new,
 * whole, and no file the kubelet would run; the next run finishes the job.
 */
class CrashDuringSetupIT {

    @TempDir
    Path root;

    @TempDir
    Path logs;

    @Test
    void killedAtAnyStepLeavesTheOldOrTheNewManifestWhole() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            byte[] original = Files.readAllBytes(node.manifest());
            AgentConfig config = Sandbox.config(root, "recommended", Duration.ofSeconds(60), Sandbox.KUBECTL_GET_NODES, "");
            byte[] expected = new Preflight(config, DiskSpace.system(), Executables::find).planSetup().newManifest();
            Path policy = root.resolve("etc/kubernetes/audit-policy.yaml");

            // An earlier run killed inside the atomic write left its hidden temp file; the kubelet ignores it.
            Files.writeString(node.manifest().resolveSibling(".kube-apiserver.yaml.tmp-0123456789ab"), "half a manif");

            long seed = System.nanoTime();
            Random random = new Random(seed);
            List<String> stops = List.of("backup", "installPolicy", "writeManifest", "health", "none", "none");
            for (String stop : stops) {
                AtomicFileWriter.write(node.manifest(), original, AtomicFileWriter.OWNER_READ_WRITE);
                Files.deleteIfExists(policy);
                long delay = random.nextInt(2500);
                try (ChildJvm child = ChildJvm.start(CrashingSetup.class, logs.resolve(stop + ".log"), root.toString(), stop)) {
                    if (stop.equals("none")) {
                        Thread.sleep(delay);
                    } else {
                        assertNotNull(child.awaitLine("REACHED " + stop), "the child never reached " + stop + "; see " + logs);
                    }
                    child.kill9();
                }
                String where = stop.equals("none") ? "killed after " + delay + "ms (seed " + seed + ")" : "killed at " + stop;
                byte[] now = Files.readAllBytes(node.manifest());
                assertTrue(Arrays.equals(now, original) || Arrays.equals(now, expected), where + ": the manifest is neither old nor new:\n"
                        + new String(now, StandardCharsets.UTF_8));
                assertEquals(List.of("kube-apiserver.yaml"), visibleToKubelet(node), where);
                if (stop.equals("health")) {
                    assertTrue(Arrays.equals(now, expected), "the swap happened before the health wait");
                }
            }

            // The next run converges and tidies up what the killed ones left.
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            SetupOutcome last = NodeSetup.forConfig(config, new PrintStream(printed, true, StandardCharsets.UTF_8)).setup(false);
            assertTrue(last instanceof SetupOutcome.Applied || last instanceof SetupOutcome.Unchanged, last + "\n" + printed);
            assertTrue(Arrays.equals(expected, Files.readAllBytes(node.manifest())));
            assertTrue(printed.toString(StandardCharsets.UTF_8).contains("did not finish (was it killed?)"),
                    "the killed runs are reported: " + printed);
            assertFalse(Files.exists(root.resolve("var/lib/kube-audit-agent").resolve(ManifestTransaction.JOURNAL_FILE)),
                    "the converging run proved the server healthy and cleared the record");
            try (Stream<Path> s = Files.list(node.manifest().getParent())) {
                assertEquals(List.of("kube-apiserver.yaml"), s.map(p -> p.getFileName().toString()).toList(), "no temp file left");
            }
        }
    }

    private static List<String> visibleToKubelet(SimulatedNode node) throws Exception {
        try (Stream<Path> s = Files.list(node.manifest().getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }
}
