package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.apply.health.HealthWaiter;
import io.kubeaudit.apply.observe.Diagnosis;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.HostPathMount;
import io.kubeaudit.policy.PolicyCatalog;
import io.kubeaudit.process.ProcessResult;
import io.kubeaudit.process.ProcessRunner;
import io.kubeaudit.sim.SimulatedNode;
import io.kubeaudit.time.WaitClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real transaction against a simulated kubeadm node: real files, a kubelet emulator, a real kubectl. */
class SimulatedNodeSetupIT {

    @TempDir
    Path root;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private AgentConfig config(String policy, Duration timeout) {
        return Sandbox.config(root, policy, timeout, Sandbox.KUBECTL_GET_NODES, "");
    }

    private SetupOutcome setup(AgentConfig config) throws InterruptedException {
        return NodeSetup.forConfig(config, progress).setup(false);
    }

    private String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private ProcessResult kubectl(SimulatedNode node) throws Exception {
        return ProcessRunner.system().run(List.of("kubectl", "--kubeconfig", node.adminKubeconfig().toString(), "get", "nodes"),
                Duration.ofSeconds(20));
    }

    @Test
    void setupProvesAuditingWorksThenChangesNothingThenTearsDown() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            byte[] pristine = Files.readAllBytes(node.manifest());
            AgentConfig config = config("recommended", Duration.ofSeconds(60));

            SetupOutcome.Applied applied = assertInstanceOf(SetupOutcome.Applied.class, setup(config), printed.toString());

            // The manifest: flags, the log directory and policy mounts, 0600.
            ApiServerManifest m = ApiServerManifest.parse("kube-apiserver.yaml", Files.readString(node.manifest()));
            assertEquals("/etc/kubernetes/audit-policy.yaml", m.flag("--audit-policy-file").orElseThrow());
            assertEquals("/var/log/kubernetes/audit/audit.log", m.flag("--audit-log-path").orElseThrow());
            assertEquals("10", m.flag("--audit-log-maxbackup").orElseThrow());
            assertTrue(m.hostPathMounts().stream().map(HostPathMount::hostPath).toList()
                    .containsAll(List.of("/etc/kubernetes/audit-policy.yaml", "/var/log/kubernetes/audit")), m.hostPathMounts().toString());
            assertEquals("rw-------", mode(node.manifest()));
            // The policy, installed 0600, exactly the bundled bytes.
            Path policy = root.resolve("etc/kubernetes/audit-policy.yaml");
            assertArrayEquals(PolicyCatalog.bundled("recommended").content(), Files.readAllBytes(policy));
            assertEquals("rw-------", mode(policy));
            // Events flowing: the server wrote some after the restart.
            Path log = root.resolve("var/log/kubernetes/audit/audit.log");
            assertTrue(Files.size(log) > 0);
            assertTrue(printed.toString().contains("[setup/health] audit event at"), printed.toString());
            // Backups: a private dir under <root>/tmp and a copy in the state dir, both 0700 with 0600 files.
            BackupLocation backups = applied.backups().orElseThrow();
            assertEquals(root.resolve("tmp"), backups.privateDir().getParent());
            assertTrue(backups.stateDir().startsWith(root.resolve("var/lib/kube-audit-agent/backups")), backups.toString());
            for (Path dir : List.of(backups.privateDir(), backups.stateDir())) {
                assertEquals("rwx------", mode(dir));
                assertEquals("rw-------", mode(dir.resolve("kube-apiserver.yaml")));
                assertArrayEquals(pristine, Files.readAllBytes(dir.resolve("kube-apiserver.yaml")));
            }
            assertOnlyTheManifestIsVisibleToTheKubelet(node);
            for (String phase : List.of("[setup/preflight]", "[setup/backup]", "[setup/policy]", "[setup/swap]", "[setup/health] waiting up to 60s")) {
                assertTrue(printed.toString().contains(phase), phase + " missing in:\n" + printed);
            }

            // A second run: byte-identical, no restart.
            byte[] configured = Files.readAllBytes(node.manifest());
            Optional<String> uid = node.kubelet().podUid();
            int restarts = node.kubelet().restartCount();
            assertInstanceOf(SetupOutcome.Unchanged.class, setup(config));
            assertArrayEquals(configured, Files.readAllBytes(node.manifest()));
            assertEquals(uid, node.kubelet().podUid());
            assertEquals(restarts, node.kubelet().restartCount());

            // A dry run of another policy shows the annotation and policy diff and changes nothing.
            SetupOutcome.Planned planned = assertInstanceOf(SetupOutcome.Planned.class,
                    NodeSetup.forConfig(config("minimal", Duration.ofSeconds(60)), progress).setup(true));
            assertTrue(planned.diff().contains("kube-audit-agent/policy-sha256"), planned.diff());
            assertTrue(planned.diff().contains("+++ /etc/kubernetes/audit-policy.yaml"), planned.diff());
            assertArrayEquals(configured, Files.readAllBytes(node.manifest()));
            assertArrayEquals(PolicyCatalog.bundled("recommended").content(), Files.readAllBytes(policy));

            // Teardown removes what setup added; the policy file stays, and says so.
            SetupOutcome.Applied down = assertInstanceOf(SetupOutcome.Applied.class,
                    NodeSetup.forConfig(config, progress).teardown(false), printed.toString());
            ApiServerManifest after = ApiServerManifest.parse("kube-apiserver.yaml", Files.readString(node.manifest()));
            assertTrue(after.flags().keySet().stream().noneMatch(f -> f.startsWith("--audit-")), after.flags().toString());
            assertTrue(down.actions().stream().anyMatch(a -> a.contains("left the policy file in place")), down.actions().toString());
            assertTrue(Files.exists(policy));
            assertInstanceOf(SetupOutcome.Unchanged.class, NodeSetup.forConfig(config, progress).teardown(false));
            assertTrue(kubectl(node).succeeded());
        }
    }

    @Test
    void aServerThatNeverStartsIsRolledBackAndExplainedFromTheKubeletsSide() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            byte[] pristine = Files.readAllBytes(node.manifest());
            AgentConfig config = config("recommended", Duration.ofSeconds(20));
            WaitClock clock = WaitClock.system();
            // Another writer removes the policy right after it is installed: its hostPath (type File) check fails.
            TransactionFiles files = new ForwardingFiles(NodeSetup.nodeFiles(config, clock)) {
                @Override
                public boolean installPolicy(PolicyChange policy) throws IOException {
                    boolean written = super.installPolicy(policy);
                    Files.delete(policy.hostPath());
                    return written;
                }
            };
            NodeSetup setup = new NodeSetup(config, progress, files, ProcessRunner.system(), clock,
                    HealthWaiter.Settings.standard(Duration.ofSeconds(20)));

            SetupOutcome.RolledBack r = assertInstanceOf(SetupOutcome.RolledBack.class, setup.setup(false), printed.toString());

            assertTrue(r.failure().startsWith("the API server did not restart within 20s"), r.failure());
            assertTrue(r.failure().endsWith("; the kubelet never started a new kube-apiserver container: it could not set up the pod's"
                    + " volume \"audit-policy\": hostPath type check failed: /etc/kubernetes/audit-policy.yaml is not a file"),
                    r.failure());
            Diagnosis kubelet = r.diagnosis().stream().filter(d -> d.source().startsWith("kubelet log")).findFirst()
                    .orElseThrow(() -> new AssertionError("no kubelet log in " + r.diagnosis()));
            assertTrue(kubelet.lines().stream().anyMatch(l -> l.contains("hostPath type check failed")), kubelet.lines().toString());
            assertTrue(r.healthAfter().orElseThrow().healthy(), r.message());
            assertArrayEquals(pristine, Files.readAllBytes(node.manifest()));
            assertTrue(kubectl(node).succeeded());
        }
    }

    private void assertOnlyTheManifestIsVisibleToTheKubelet(SimulatedNode node) throws IOException {
        try (Stream<Path> s = Files.list(node.manifest().getParent())) {
            List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
            assertEquals(List.of("kube-apiserver.yaml"), names);
        }
        assertNotEquals(0, Files.size(node.manifest()));
    }
}
