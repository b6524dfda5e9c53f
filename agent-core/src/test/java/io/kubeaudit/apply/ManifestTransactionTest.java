package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.apply.health.HealthCheck;
import io.kubeaudit.apply.health.HealthWaiter;
import io.kubeaudit.apply.observe.Diagnosis;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.log.Progress;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.node.ExclusiveLock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction's own logic, with the node's real files but fake observations of the server. */
class ManifestTransactionTest {

    @TempDir
    Path root;

    private byte[] original;
    private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final List<String> calls = new ArrayList<>();

    @BeforeEach
    void node() throws Exception {
        original = Files.readAllBytes(Sandbox.corpus(Sandbox.PRISTINE));
        Sandbox.node(root, original);
    }

    /** The real node files, recording each call, failing the calls named in {@code failing}. */
    private final class RecordingFiles extends ForwardingFiles {
        private final Set<String> failing;

        RecordingFiles(AgentConfig config, Set<String> failing) {
            super(NodeSetup.nodeFiles(config, clock));
            this.failing = failing;
        }

        private void call(String name) throws IOException {
            calls.add(name);
            if (failing.contains(name)) {
                throw new IOException(name + ": injected failure");
            }
        }

        @Override
        public BackupLocation backup(SetupPlan plan) throws IOException {
            call("backup");
            return super.backup(plan);
        }

        @Override
        public boolean installPolicy(PolicyChange policy) throws IOException {
            call("installPolicy");
            return super.installPolicy(policy);
        }

        @Override
        public void restorePolicy(PolicyChange policy) throws IOException {
            call("restorePolicy");
            super.restorePolicy(policy);
        }

        @Override
        public void writeManifest(Path manifest, byte[] content, Set<PosixFilePermission> mode) throws IOException {
            call(calls.contains("writeManifest") ? "restoreManifest" : "writeManifest");
            super.writeManifest(manifest, content, mode);
        }
    }

    /** A server that restarts (or not) and answers (or not) as told. */
    private static final class FakeProbes implements NodeProbes {
        private final boolean restarts;
        private final boolean answers;
        int watches;

        FakeProbes(boolean restarts, boolean answers) {
            this.restarts = restarts;
            this.answers = answers;
        }

        @Override
        public ServerWatch watch(ApiServerManifest target, ApiServerManifest replaced) {
            watches++;
            return new ServerWatch() {
                @Override
                public Restarts poll() {
                    return restarts ? new Restarts(1, "container log 0.log") : Restarts.NONE;
                }

                @Override
                public List<Path> newContainerLogs() {
                    return List.of();
                }
            };
        }

        @Override
        public List<HealthCheck> answers(ApiServerManifest target) {
            return List.of(new HealthCheck() {
                @Override
                public String name() {
                    return "kubectl get nodes";
                }

                @Override
                public Result check(Duration timeout) {
                    return answers ? Result.ok("ok") : Result.failed("kubectl get nodes: exit 1: connection refused");
                }
            });
        }

        @Override
        public Optional<HealthCheck> auditEvent(SetupPlan plan, Instant since) {
            return Optional.empty();
        }

        @Override
        public List<Diagnosis> diagnose(ServerWatch watch, Instant since) {
            return List.of(new Diagnosis("kube-apiserver container log 0.log", List.of("E0101 loading audit policy file: boom")));
        }
    }

    private ManifestTransaction transaction(TransactionFiles files, NodeProbes probes) {
        return transaction(files, probes, RestartPermit.NONE);
    }

    private ManifestTransaction transaction(TransactionFiles files, NodeProbes probes, RestartPermit permit) {
        AgentConfig config = Sandbox.config(root, "recommended", Duration.ofSeconds(5), List.of("true"), "");
        Progress progress = new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8), "setup");
        Preflight preflight = new Preflight(config, p -> new DiskSpace.Usable(1L << 40, "/"), c -> Optional.of(Path.of(c)));
        return new ManifestTransaction(Operation.SETUP, preflight, files, probes,
                new HealthWaiter(clock, progress, new HealthWaiter.Settings(Duration.ofSeconds(5), Duration.ofMillis(500), 3, 3)),
                root.resolve("var/lib/kube-audit-agent/setup.lock"), progress, clock, permit);
    }

    /** A permit that records when it is asked and given back (into {@code calls}, among the file steps), refusing when told. */
    private final class RecordingPermit implements RestartPermit {
        private final Optional<RestartPermit.Refusal> refusal;

        RecordingPermit(Optional<String> refusal) {
            this.refusal = refusal.map(why -> new RestartPermit.Refusal.Busy("cp-2", Instant.parse("2026-11-26T10:05:00Z"), why));
        }

        @Override
        public Optional<RestartPermit.Refusal> acquire(Consumer<String> progress) {
            calls.add("acquire");
            progress.accept(refusal.isPresent() ? "held elsewhere" : "taken");
            return refusal;
        }

        @Override
        public void release(Consumer<String> progress) {
            calls.add("release");
        }
    }

    private Path manifest() {
        return root.resolve(Sandbox.MANIFEST.substring(1));
    }

    private Path policy() {
        return root.resolve("etc/kubernetes/audit-policy.yaml");
    }

    @Test
    void healthyServerMeansAppliedAndASecondRunChangesNothing() throws Exception {
        AgentConfig config = Sandbox.config(root);
        SetupOutcome first = transaction(new RecordingFiles(config, Set.of()), new FakeProbes(true, true)).run();
        SetupOutcome.Applied applied = assertInstanceOf(SetupOutcome.Applied.class, first);
        assertEquals(List.of("backup", "installPolicy", "writeManifest"), calls);
        assertFalse(Files.exists(root.resolve("var/lib/kube-audit-agent").resolve(ManifestTransaction.JOURNAL_FILE)), "a finished run leaves no journal");
        assertTrue(applied.actions().stream().anyMatch(a -> a.startsWith("kube-apiserver restarted and is healthy")), applied.toString());
        byte[] after = Files.readAllBytes(manifest());

        calls.clear();
        SetupOutcome second = transaction(new RecordingFiles(config, Set.of()), new FakeProbes(false, true)).run();
        assertInstanceOf(SetupOutcome.Unchanged.class, second);
        assertEquals(List.of(), calls);
        assertArrayEquals(after, Files.readAllBytes(manifest()));
    }

    @Test
    void thePermitIsAskedBeforeARestartAndGivenBackAfterItButNotForANoOp() throws Exception {
        AgentConfig config = Sandbox.config(root);
        assertInstanceOf(SetupOutcome.Applied.class,
                transaction(new RecordingFiles(config, Set.of()), new FakeProbes(true, true), new RecordingPermit(Optional.empty())).run());
        assertEquals(List.of("acquire", "backup", "installPolicy", "writeManifest", "release"), calls);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("[setup/lease] taken"), printed.toString(StandardCharsets.UTF_8));

        calls.clear();
        assertInstanceOf(SetupOutcome.Unchanged.class,
                transaction(new RecordingFiles(config, Set.of()), new FakeProbes(false, true), new RecordingPermit(Optional.empty())).run());
        assertEquals(List.of(), calls, "nothing restarts, so nothing is asked");
    }

    @Test
    void aPolicyOnlyChangeRestartsNothingSoAsksNoPermit() throws Exception {
        AgentConfig config = Sandbox.config(root);
        assertInstanceOf(SetupOutcome.Applied.class, transaction(new RecordingFiles(config, Set.of()), new FakeProbes(true, true)).run());
        Files.writeString(policy(), "# edited by hand\n" + Files.readString(policy()));
        calls.clear();
        SetupOutcome.Applied reinstalled = assertInstanceOf(SetupOutcome.Applied.class,
                transaction(new RecordingFiles(config, Set.of()), new FakeProbes(false, true), new RecordingPermit(Optional.empty())).run());
        assertEquals(List.of("backup", "installPolicy"), calls, "the manifest is unchanged: no restart, so no permit");
        assertTrue(reinstalled.actions().get(0).startsWith("reinstalled the policy"), reinstalled.toString());
    }

    @Test
    void aRefusedPermitChangesNothingAndARollbackGivesItBack() throws Exception {
        AgentConfig config = Sandbox.config(root);
        SetupOutcome refused = transaction(new RecordingFiles(config, Set.of()), new FakeProbes(true, true),
                new RecordingPermit(Optional.of("the setup lease is held by cp-2"))).run();
        assertEquals(List.of("the setup lease is held by cp-2"), assertInstanceOf(SetupOutcome.Refused.class, refused).problems());
        assertEquals(List.of("acquire"), calls);
        assertArrayEquals(original, Files.readAllBytes(manifest()));
        assertFalse(Files.exists(policy()));

        calls.clear();
        assertInstanceOf(SetupOutcome.RolledBack.class,
                transaction(new RecordingFiles(config, Set.of()), new FakeProbes(true, false), new RecordingPermit(Optional.empty())).run());
        assertEquals(List.of("acquire", "backup", "installPolicy", "writeManifest", "restorePolicy", "restoreManifest", "release"), calls);
    }

    @Test
    void unhealthyServerIsRolledBackPolicyFirstAndCheckedAgain() throws Exception {
        FakeProbes probes = new FakeProbes(true, false);
        SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of()), probes).run();
        SetupOutcome.RolledBack r = assertInstanceOf(SetupOutcome.RolledBack.class, outcome);
        assertEquals(List.of("backup", "installPolicy", "writeManifest", "restorePolicy", "restoreManifest"), calls);
        assertArrayEquals(original, Files.readAllBytes(manifest()));
        assertFalse(Files.exists(policy()), "the policy this run installed is gone again");
        assertEquals(2, probes.watches, "a new watch for the restored server");
        assertTrue(r.message().contains("E0101 loading audit policy file: boom"), r.message());
        assertTrue(r.message().contains("the rolled-back API server is NOT healthy"), r.message());
        assertTrue(r.message().contains("backups: " + r.backups().privateDir()), r.message());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("[setup/rollback] restored /etc/kubernetes/manifests/kube-apiserver.yaml"));
    }

    @Test
    void rollbackErrorsReachTheOperator() throws Exception {
        SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of("restorePolicy", "restoreManifest")),
                new FakeProbes(true, false)).run();
        SetupOutcome.RolledBack r = assertInstanceOf(SetupOutcome.RolledBack.class, outcome);
        assertEquals(2, r.rollbackErrors().size(), r.rollbackErrors().toString());
        assertTrue(r.message().contains("ROLLBACK ERROR: could not restore the policy /etc/kubernetes/audit-policy.yaml: restorePolicy: injected failure"),
                r.message());
        assertTrue(r.message().contains("ROLLBACK ERROR: could not restore /etc/kubernetes/manifests/kube-apiserver.yaml: restoreManifest: injected failure;"
                + " copy it back by hand from " + r.backups().stateDir().resolve("kube-apiserver.yaml")), r.message());
        assertTrue(r.healthAfter().isEmpty());
    }

    @Test
    void aFailedSwapRestoresThePolicyAndLeavesTheServerAlone() throws Exception {
        SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of("writeManifest")), new FakeProbes(true, true)).run();
        SetupOutcome.RolledBack r = assertInstanceOf(SetupOutcome.RolledBack.class, outcome);
        assertTrue(r.failure().startsWith("could not replace /etc/kubernetes/manifests/kube-apiserver.yaml"), r.failure());
        assertArrayEquals(original, Files.readAllBytes(manifest()));
        assertFalse(Files.exists(policy()));
        assertTrue(r.healthAfter().orElseThrow().healthy(), r.message());
    }

    @Test
    void aFailedBackupChangesNothing() throws Exception {
        SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of("backup")), new FakeProbes(true, true)).run();
        SetupOutcome.Failed f = assertInstanceOf(SetupOutcome.Failed.class, outcome);
        assertTrue(f.problem().endsWith("nothing was changed"), f.problem());
        assertEquals(List.of("backup"), calls);
        assertArrayEquals(original, Files.readAllBytes(manifest()));
    }

    @Test
    void aRunWhileAnotherHoldsTheLockIsRefusedAndChangesNothing() throws Exception {
        Path lockFile = Files.createDirectories(root.resolve("var/lib/kube-audit-agent")).resolve("setup.lock");
        try (ExclusiveLock held = ExclusiveLock.acquire(lockFile, "setup")) {
            SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of()), new FakeProbes(true, true)).run();
            SetupOutcome.Refused r = assertInstanceOf(SetupOutcome.Refused.class, outcome);
            assertTrue(r.problems().get(0).contains("another kube-audit-agent setup or teardown is running on this node (held by pid "
                    + ProcessHandle.current().pid()), r.problems().toString());
        }
        assertEquals(List.of(), calls);
        assertArrayEquals(original, Files.readAllBytes(manifest()));
    }

    /** The state a setup killed right after its swap leaves: the new manifest and policy, and its journal entry. */
    private RunJournal killedAfterSwap() throws Exception {
        AgentConfig config = Sandbox.config(root);
        SetupPlan plan = new Preflight(config, p -> new DiskSpace.Usable(1L << 40, "/"), c -> Optional.of(Path.of(c))).planSetup();
        NodeFiles files = NodeSetup.nodeFiles(config, clock);
        BackupLocation backups = files.backup(plan);
        RunJournal journal = new RunJournal(Files.createDirectories(root.resolve("var/lib/kube-audit-agent"))
                .resolve(ManifestTransaction.JOURNAL_FILE));
        journal.started(Operation.SETUP, clock.instant(), backups);
        files.installPolicy(plan.policy().orElseThrow());
        files.writeManifest(plan.manifestFile(), plan.newManifest(), Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        return journal;
    }

    @Test
    void nothingToChangeAfterAKilledRunStillProvesTheServerHealthy() throws Exception {
        RunJournal journal = killedAfterSwap();
        SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of()), new FakeProbes(false, true)).run();
        SetupOutcome.Unchanged u = assertInstanceOf(SetupOutcome.Unchanged.class, outcome);
        assertTrue(u.summary().endsWith("the API server is healthy"), u.summary());
        assertTrue(u.warnings().get(0).startsWith("a previous setup started at 2025-01-01T00:00:00Z did not finish"), u.warnings().toString());
        assertTrue(journal.read().isEmpty(), "checked: nothing left to warn about");
    }

    @Test
    void aKilledRunThatLeftAnUnhealthyServerIsReportedWithItsBackup() throws Exception {
        RunJournal journal = killedAfterSwap();
        SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of()), new FakeProbes(false, false)).run();
        SetupOutcome.Failed f = assertInstanceOf(SetupOutcome.Failed.class, outcome);
        RunJournal.Entry entry = journal.read().orElseThrow();
        assertTrue(f.problem().contains("the API server is not healthy") && f.problem().contains(entry.backups().stateDir().toString()),
                f.problem());
        assertEquals(List.of(), calls, "this run changed nothing");
    }

    @Test
    void dryRunWritesNothingNotEvenTheLock() throws Exception {
        SetupOutcome outcome = transaction(new RecordingFiles(Sandbox.config(root), Set.of()), new FakeProbes(true, true)).dryRun(true);
        SetupOutcome.Planned p = assertInstanceOf(SetupOutcome.Planned.class, outcome);
        assertTrue(p.diff().contains("--audit-policy-file"), p.diff());
        assertEquals(List.of(), calls);
        assertFalse(Files.exists(root.resolve("var")), "no state dir, no lock file");
        assertArrayEquals(original, Files.readAllBytes(manifest()));
    }
}
