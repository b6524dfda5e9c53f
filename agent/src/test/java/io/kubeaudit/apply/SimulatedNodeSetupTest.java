package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.HostPathMount;
import io.kubeaudit.node.sim.SimulatedNode;
import io.kubeaudit.policy.PolicyCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real transaction against a simulated kubeadm node: real files, a kubelet emulator, a real kubectl. */
class SimulatedNodeSetupTest {

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
    void aPolicyTheServerRefusesIsRolledBackToTheRunningConfiguration() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            AgentConfig recommended = config("recommended", Duration.ofSeconds(60));
            assertInstanceOf(SetupOutcome.Applied.class, setup(recommended), printed.toString());
            byte[] configured = Files.readAllBytes(node.manifest());
            Path policy = root.resolve("etc/kubernetes/audit-policy.yaml");
            byte[] recommendedPolicy = Files.readAllBytes(policy);

            // Another writer drops an old v1beta1 policy over ours while the server restarts.
            AgentConfig minimal = config("minimal", Duration.ofSeconds(60));
            WaitClock clock = WaitClock.system();
            NodeSetup sabotaged = new NodeSetup(minimal, progress, new OverwrittenPolicyFiles(NodeSetup.nodeFiles(minimal, clock),
                    "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n".getBytes(StandardCharsets.UTF_8)),
                    ProcessRunner.system(), clock, HealthWaiter.Settings.standard(Duration.ofSeconds(60)));
            SetupOutcome.RolledBack r = assertInstanceOf(SetupOutcome.RolledBack.class, sabotaged.setup(false), printed.toString());

            assertTrue(r.message().contains("audit.k8s.io/v1beta1"), "the server's own reason is shown:\n" + r.message());
            assertTrue(r.diagnosis().get(0).source().startsWith("kube-apiserver container log " + root.resolve("var/log/pods")),
                    r.diagnosis().toString());
            assertTrue(r.healthAfter().orElseThrow().healthy(), r.message());
            assertTrue(r.message().contains("the rolled-back API server is healthy"), r.message());
            assertArrayEquals(configured, Files.readAllBytes(node.manifest()));
            assertArrayEquals(recommendedPolicy, Files.readAllBytes(policy), "the previous policy is back");
            assertTrue(r.message().contains("backups: " + r.backups().privateDir()), r.message());
            assertTrue(printed.toString().contains("[setup/rollback]"), printed.toString());
            assertTrue(kubectl(node).succeeded());
            assertOnlyTheManifestIsVisibleToTheKubelet(node);
        }
    }

    @Test
    void aServerThatNeverAnswersIsRolledBackAndHealthyAgain() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            byte[] pristine = Files.readAllBytes(node.manifest());
            AgentConfig config = config("recommended", Duration.ofSeconds(6));
            WaitClock clock = WaitClock.system();
            // The health command fails until the rollback has put the old manifest back.
            AtomicBoolean restored = new AtomicBoolean();
            NodeFiles real = NodeSetup.nodeFiles(config, clock);
            TransactionFiles files = new TransactionFiles() {
                private int manifestWrites;

                @Override
                public BackupLocation backup(SetupPlan plan) throws IOException {
                    return real.backup(plan);
                }

                @Override
                public boolean installPolicy(PolicyChange policy) throws IOException {
                    return real.installPolicy(policy);
                }

                @Override
                public void restorePolicy(PolicyChange policy) throws IOException {
                    real.restorePolicy(policy);
                }

                @Override
                public void writeManifest(Path manifest, byte[] content, Set<PosixFilePermission> mode) throws IOException {
                    real.writeManifest(manifest, content, mode);
                    restored.set(++manifestWrites == 2);
                }

                @Override
                public List<Path> removeStaleTemps(Path manifest) throws IOException {
                    return real.removeStaleTemps(manifest);
                }
            };
            ProcessRunner health = (command, timeout) -> restored.get() ? ProcessRunner.system().run(command, timeout)
                    : new ProcessResult(1, "Unable to connect to the server: EOF", false);
            NodeSetup setup = new NodeSetup(config, progress, files, health, clock, HealthWaiter.Settings.standard(Duration.ofSeconds(6)));

            SetupOutcome.RolledBack r = assertInstanceOf(SetupOutcome.RolledBack.class, setup.setup(false), printed.toString());

            assertTrue(r.failure().contains("did not answer 3 times in a row within 6s"), r.failure());
            assertTrue(r.failure().contains("Unable to connect to the server: EOF"), r.failure());
            assertTrue(r.healthAfter().orElseThrow().healthy(), r.message());
            assertArrayEquals(pristine, Files.readAllBytes(node.manifest()));
            assertFalse(Files.exists(root.resolve("etc/kubernetes/audit-policy.yaml")), "the policy this run installed is removed");
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
