package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.kube.SetupLease;
import io.kubeaudit.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    /** A node whose setup drifts when told to and whose applies fail while {@code failing} is set. */
    static final class FakeSetup implements SetupPort {
        volatile boolean drifted = true;
        volatile boolean failing;
        volatile int applies;

        @Override
        public SetupState check(AgentConfig config) {
            return drifted ? new SetupState.Drifted(List.of("flag --audit-policy-file missing")) : new SetupState.InSync();
        }

        @Override
        public ApplyOutcome apply(AgentConfig config) {
            applies++;
            if (failing) {
                return new ApplyOutcome.Failed("server did not come back; rolled back", Optional.of("/tmp/kube-audit-agent-x/kube-apiserver.yaml"));
            }
            drifted = false;
            return new ApplyOutcome.Applied(true, "audit flags added", Optional.empty());
        }
    }

    /** A cluster lock that is free, held by another node, or unreachable, and counts releases. */
    static final class FakeLock implements ClusterLock {
        SetupLease.Outcome next = new SetupLease.Outcome.Acquired();
        int releases;

        @Override
        public SetupLease.Outcome acquire() {
            return next;
        }

        @Override
        public Optional<String> release() {
            releases++;
            return Optional.empty();
        }
    }

    private final FakeLock fakeLock = new FakeLock();
    private Optional<ClusterLock> lock = Optional.of(fakeLock);
    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private final FakeSetup setup = new FakeSetup();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final DaemonCounters counters = new DaemonCounters();
    private final Reconciler reconciler = new Reconciler(setup, c -> lock, c -> Optional.empty(), counters,
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
        SetupPort broken = new SetupPort() {
            @Override
            public SetupState check(AgentConfig config) throws Exception {
                throw new java.io.IOException("/etc/kubernetes/manifests/kube-apiserver.yaml: no such file");
            }

            @Override
            public ApplyOutcome apply(AgentConfig config) {
                throw new AssertionError("must not apply what it could not compare");
            }
        };
        Reconciler r = new Reconciler(broken, c -> Optional.empty(), c -> Optional.empty(), new DaemonCounters(), new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), () -> now, true, false), () -> now);
        ReconcileResult result = r.reconcile(config(SetupConfig.DriftAction.REAPPLY), ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.CHECK_FAILED, result.kind());
        assertEquals("/etc/kubernetes/manifests/kube-apiserver.yaml: no such file", result.detail());
    }

    @Test
    void anotherNodeHoldingTheLeaseMeansWaitNotFail() throws InterruptedException {
        AgentConfig c = config(SetupConfig.DriftAction.REAPPLY);
        fakeLock.next = new SetupLease.Outcome.HeldBy("cp-2", now.plusSeconds(300));
        ReconcileResult waiting = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.WAITING_FOR_LEASE, waiting.kind());
        assertEquals(0, setup.applies, "no restart without the lease");
        assertEquals(0, counters.applyFailures.get());
        assertEquals(0, fakeLock.releases, "a lease not taken is not released");

        fakeLock.next = new SetupLease.Outcome.Acquired();
        assertEquals(ReconcileResult.Kind.APPLIED, reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC).kind());
        assertEquals(1, fakeLock.releases, "released once the server is healthy");
    }

    @Test
    void anUnreachableApiForTheLeaseIsAFailureWithBackoff() throws InterruptedException {
        AgentConfig c = config(SetupConfig.DriftAction.REAPPLY);
        fakeLock.next = new SetupLease.Outcome.Unavailable("connection refused");
        ReconcileResult r = reconciler.reconcile(c, ReconcileResult.Trigger.PERIODIC);
        assertEquals(ReconcileResult.Kind.APPLY_FAILED, r.kind());
        assertTrue(r.detail().contains("no setup lease, so no restart: connection refused"), r.detail());
        assertEquals(Duration.ofSeconds(30), Duration.between(now, r.nextAttempt()));
        assertEquals(0, setup.applies);
    }

    @Test
    void aFailedApplyStillReleasesTheLease() throws InterruptedException {
        setup.failing = true;
        reconciler.reconcile(config(SetupConfig.DriftAction.REAPPLY), ReconcileResult.Trigger.PERIODIC);
        assertEquals(1, fakeLock.releases);
    }
}
