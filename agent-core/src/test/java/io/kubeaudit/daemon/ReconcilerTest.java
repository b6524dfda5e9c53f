package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.apply.BackupLocation;
import io.kubeaudit.apply.Operation;
import io.kubeaudit.apply.RestartPermit;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.setup.SetupRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    /**
     * A node whose setup drifts when told to and whose applies fail while {@code failing} is set; the restart
     * permit (the cluster Lease) refuses with {@code leaseRefusal} when set, as the transaction asks it before
     * a restart and gives it back after (counted in {@code releases}).
     */
    static final class FakeSetup implements SetupRun.Transaction {
        volatile boolean drifted = true;
        volatile boolean failing;
        volatile int applies;
        volatile Optional<RestartPermit.Refusal> leaseRefusal = Optional.empty();
        volatile int releases;

        @Override
        public SetupOutcome run(Operation operation, SetupRun.Mode mode) {
            if (mode.isDryRun()) {
                return drifted ? new SetupOutcome.Planned(operation, "", List.of("flag --audit-policy-file missing"), List.of())
                        : new SetupOutcome.Unchanged(operation, "in sync", List.of());
            }
            if (leaseRefusal.isPresent()) {
                return new SetupOutcome.Refused(operation, List.of(leaseRefusal.get().message()), leaseRefusal);
            }
            applies++;
            releases++;
            if (failing) {
                return new SetupOutcome.RolledBack(operation, "server did not come back", List.of(), List.of("restored the manifest"),
                        List.of(), Optional.of(new SetupOutcome.RollbackHealth(true, "/readyz ok")),
                        new BackupLocation(Path.of("/tmp/kube-audit-agent-x"), Path.of("/var/lib/kube-audit-agent/backups/x")));
            }
            drifted = false;
            return new SetupOutcome.Applied(operation, List.of("audit flags added"), Optional.empty(), "", List.of());
        }

        /** The daemon's run of this node for a config, without a write-through. */
        SetupRun run(AgentConfig config) {
            return new SetupRun(config, this, Optional.empty());
        }
    }

    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private final FakeSetup setup = new FakeSetup();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final DaemonCounters counters = new DaemonCounters();
    private final Reconciler reconciler = new Reconciler(setup::run, counters,
            new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), () -> now, true, false), () -> now);

    private static AgentConfig config(SetupConfig.DriftAction onDrift) {
        AgentConfig d = AgentConfig.defaults();
        return new AgentConfig(d.root(), d.audit(), d.apply(), d.ship(), d.metrics(),
                new SetupConfig(true, Duration.ofSeconds(60), onDrift, Duration.ofSeconds(30), Duration.ofMinutes(2)));
    }

    @Test
    void driftIsReappliedAndThenInSync() throws InterruptedException {
        AgentConfig c = config(SetupConfig.DriftAction.REAPPLY);
        assertEquals(ReconcileResult.Kind.APPLIED, reconciler.reconcile(c, ReconcileResult.Trigger.FILE_CHANGE).kind());
        assertEquals(ReconcileResult.Kind.IN_SYNC, reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC).kind());
        assertEquals(1, counters.driftsDetected.get());
        assertEquals(1, setup.applies);
    }

    @Test
    void aFailingApplyBacksOffDoublingUpToTheMaxAndNeverLoopsHot() throws InterruptedException {
        AgentConfig c = config(SetupConfig.DriftAction.REAPPLY);
        setup.failing = true;
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 0; attempt < 5; attempt++) {
            ReconcileResult r = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
            assertEquals(ReconcileResult.Kind.APPLY_FAILED, r.kind());
            waits.add(Duration.between(now, r.nextAttempt()));
            // Reconciles before the wait is over (file events, ticks) do not try again.
            now = now.plus(Duration.between(now, r.nextAttempt()).minusSeconds(1));
            ReconcileResult early = reconciler.reconcile(c, ReconcileResult.Trigger.FILE_CHANGE);
            assertEquals(ReconcileResult.Kind.BACKING_OFF, early.kind());
            assertEquals(r.nextAttempt(), early.nextAttempt());
            now = r.nextAttempt();
        }
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(120), Duration.ofSeconds(120)), waits);
        assertEquals(5, setup.applies);
        assertEquals(5, counters.applyFailures.get());

        setup.failing = false;
        assertEquals(ReconcileResult.Kind.APPLIED, reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC).kind());
        setup.drifted = true;
        setup.failing = true;
        ReconcileResult afterSuccess = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(Duration.ofSeconds(30), Duration.between(now, afterSuccess.nextAttempt()), "a success resets the backoff");
    }

    @Test
    void reportModeOnlyReportsDriftButTheStartAndAReloadStillApply() throws InterruptedException {
        AgentConfig c = config(SetupConfig.DriftAction.REPORT);
        assertEquals(ReconcileResult.Kind.APPLIED, reconciler.reconcile(c, ReconcileResult.Trigger.START).kind());
        setup.drifted = true;
        assertEquals(ReconcileResult.Kind.APPLIED, reconciler.reconcile(c, ReconcileResult.Trigger.RELOAD).kind());
        assertEquals(0, counters.driftsDetected.get(), "a config change is not drift");
        setup.drifted = true;
        ReconcileResult r = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.DRIFT_REPORTED, r.kind());
        assertEquals(List.of("flag --audit-policy-file missing"), r.differences());
        assertEquals(2, setup.applies);
        assertNull(r.nextAttempt());
    }

    @Test
    void disabledSetupNeverTouchesTheNode() throws InterruptedException {
        AgentConfig d = AgentConfig.defaults();
        AgentConfig c = new AgentConfig(d.root(), d.audit(), d.apply(), d.ship(), d.metrics(),
                new SetupConfig(false, Duration.ofSeconds(60), SetupConfig.DriftAction.REAPPLY, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals(ReconcileResult.Kind.DISABLED, reconciler.reconcile(c, ReconcileResult.Trigger.START).kind());
        assertEquals(0, setup.applies);
    }

    @Test
    void aCheckThatThrowsIsReportedNotFatal() throws InterruptedException {
        SetupRun.Transaction broken = (operation, mode) -> {
            if (mode == SetupRun.Mode.APPLY) {
                throw new AssertionError("must not apply what it could not compare");
            }
            return new SetupOutcome.Failed(operation, "/etc/kubernetes/manifests/kube-apiserver.yaml: no such file");
        };
        Reconciler r = new Reconciler(c -> new SetupRun(c, broken, Optional.empty()), new DaemonCounters(),
                new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), () -> now, true, false), () -> now);
        ReconcileResult result = r.reconcile(config(SetupConfig.DriftAction.REAPPLY), ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.CHECK_FAILED, result.kind());
        assertEquals("/etc/kubernetes/manifests/kube-apiserver.yaml: no such file", result.detail());
    }

    @Test
    void anotherNodeHoldingTheLeaseMeansWaitNotFail() throws InterruptedException {
        AgentConfig c = config(SetupConfig.DriftAction.REAPPLY);
        setup.leaseRefusal = Optional.of(new RestartPermit.Refusal.Busy("cp-2", now.plusSeconds(300), "held by cp-2"));
        ReconcileResult waiting = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.WAITING_FOR_LEASE, waiting.kind());
        assertEquals(0, setup.applies, "no restart without the lease");
        assertEquals(0, counters.applyFailures.get());
        assertEquals(0, setup.releases, "a lease not taken is not released");

        setup.leaseRefusal = Optional.empty();
        assertEquals(ReconcileResult.Kind.APPLIED, reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC).kind());
        assertEquals(1, setup.releases, "released once the server is healthy");
    }

    @Test
    void anUnreachableApiForTheLeaseIsAFailureWithBackoff() throws InterruptedException {
        AgentConfig c = config(SetupConfig.DriftAction.REAPPLY);
        setup.leaseRefusal = Optional.of(new RestartPermit.Refusal.Unavailable("connection refused", "no setup lease"));
        ReconcileResult r = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.APPLY_FAILED, r.kind());
        assertTrue(r.detail().contains("no setup lease, so no restart: connection refused"), r.detail());
        assertEquals(Duration.ofSeconds(30), Duration.between(now, r.nextAttempt()));
        assertEquals(0, setup.applies);
    }

    @Test
    void aRolledBackApplyKeepsWhatTheRollbackDid() throws InterruptedException {
        setup.failing = true;
        ReconcileResult r = reconciler.reconcile(config(SetupConfig.DriftAction.REAPPLY), ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.APPLY_FAILED, r.kind());
        assertEquals(new ReconcileResult.Rollback("server did not come back", List.of("restored the manifest"), List.of(), true, "/readyz ok"),
                r.rollback());
        assertTrue(r.detail().startsWith("setup failed and was rolled back: server did not come back"), r.detail());
        assertEquals("/tmp/kube-audit-agent-x and /var/lib/kube-audit-agent/backups/x", r.backup());
        assertEquals(1, setup.releases);
    }
}
