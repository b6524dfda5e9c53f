package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.kube.SetupLease;
import io.kubeaudit.kubeadm.KubeadmWriteThrough;
import io.kubeaudit.kubeadm.WriteThroughOutcome;
import io.kubeaudit.log.Log;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One reconcile pass: compare the node with the config and, on drift, re-apply through the safe
 * transaction or only report, as {@code setup.onDrift} says. At start and after a reload the config is
 * applied whatever onDrift says (a config change is the operator's wish, not drift). A failed apply sets
 * a backoff; until it expires, drift is reported as BACKING_OFF and nothing is tried. Runs on one thread at a time (the daemon's setup worker).
 *
 * <p>With setup.kubeadmConfig: writeThrough, a pass that ends with the node in sync (already, or after a healthy
 * apply) then writes the settings through to kubeadm-config: one read per pass while nothing differs, so that a
 * {@code kubeadm upgrade} that re-uploaded the config without them, or a first enabling, is caught up. Its outcome
 * rides on the result; a problem there never changes the pass's own kind and is logged once until it changes.
 */
final class Reconciler {

    private static final String PHASE = "daemon/reconcile";

    private final SetupPort setup;
    private final Log log;
    private final InstantSource clock;
    private Backoff backoff;
    private Instant notBefore = Instant.MIN;
    private SetupConfig backoffConfig;

    private final DaemonCounters counters;
    private final Function<AgentConfig, Optional<ClusterLock>> locks;
    private final Function<AgentConfig, Optional<KubeadmWriteThrough>> kubeadmConfig;
    /** The last write-through problem logged (outcome and detail), so a repeating one is logged once. */
    private String lastKubeadmProblem = "";

    /**
     * @param locks         the cluster-wide lock for a config; empty when setup.lease is off
     * @param kubeadmConfig the write-through to kubeadm's ClusterConfiguration for a config; empty when setup.kubeadmConfig is off
     */
    Reconciler(SetupPort setup, Function<AgentConfig, Optional<ClusterLock>> locks,
               Function<AgentConfig, Optional<KubeadmWriteThrough>> kubeadmConfig, DaemonCounters counters, Log log, InstantSource clock) {
        this.setup = setup;
        this.locks = locks;
        this.kubeadmConfig = kubeadmConfig;
        this.counters = counters;
        this.log = log;
        this.clock = clock;
    }

    ReconcileResult reconcile(AgentConfig config, ReconcileResult.Trigger trigger) throws InterruptedException {
        Instant now = clock.instant();
        SetupConfig sc = config.setup();
        if (!sc.enabled()) {
            return result(now, trigger, ReconcileResult.Kind.DISABLED, List.of(), "setup.enabled is false: shipping only", null, null);
        }
        if (!sc.equals(backoffConfig)) {
            backoff = new Backoff(sc.backoffInitial(), sc.backoffMax());
            backoffConfig = sc;
            notBefore = Instant.MIN;
        }
        SetupState state;
        try {
            state = setup.check(config);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.error(PHASE, "cannot compare the node with the config", "trigger", trigger, "error", e);
            return result(now, trigger, ReconcileResult.Kind.CHECK_FAILED, List.of(), describe(e), null, null);
        }
        if (state instanceof SetupState.InSync) {
            return writeThrough(config, result(now, trigger, ReconcileResult.Kind.IN_SYNC, List.of(), "audit setup matches the config", null, null));
        }
        List<String> differences = ((SetupState.Drifted) state).differences();
        if (!trigger.isConfigChange()) {
            counters.driftsDetected.incrementAndGet();
        }
        log.warn(PHASE, trigger.isConfigChange() ? "audit setup differs from the config" : "audit setup drifted",
                "trigger", trigger, "differences", summary(differences), "onDrift", sc.onDrift());
        if (!trigger.isConfigChange() && sc.onDrift() == SetupConfig.DriftAction.REPORT) {
            return result(now, trigger, ReconcileResult.Kind.DRIFT_REPORTED, differences,
                    "setup.onDrift is report: not re-applied; run `kube-audit-agent setup` or set onDrift: reapply", null, null);
        }
        if (now.isBefore(notBefore)) {
            return result(now, trigger, ReconcileResult.Kind.BACKING_OFF, differences,
                    "the last apply failed; waiting before the next attempt", null, notBefore);
        }
        return apply(config, trigger, differences, now);
    }

    /**
     * Takes the cluster-wide lease (when on), applies, releases. Another node holding the lease is not a
     * failure: the next reconcile tries again. An unreachable API is one: nothing restarts without the lease.
     */
    private ReconcileResult apply(AgentConfig config, ReconcileResult.Trigger trigger, List<String> differences, Instant now)
            throws InterruptedException {
        Optional<ClusterLock> lock = locks.apply(config);
        if (lock.isPresent()) {
            SetupLease.Outcome taken = lock.get().acquire();
            if (taken instanceof SetupLease.Outcome.HeldBy held) {
                log.info(PHASE, "another node holds the setup lease; waiting for it before restarting this API server",
                        "holder", held.holder(), "until", held.until());
                return result(now, trigger, ReconcileResult.Kind.WAITING_FOR_LEASE, differences,
                        "the setup lease is held by " + held.holder() + " until " + held.until() + "; trying again at the next reconcile",
                        null, null);
            }
            if (taken instanceof SetupLease.Outcome.Unavailable unavailable) {
                return failed(trigger, differences, new ApplyOutcome.Failed("no setup lease, so no restart: " + unavailable.reason()
                        + " (set setup.lease.enabled: false where no other node needs protecting)", Optional.empty()));
            }
        }
        ReconcileResult applied;
        try {
            applied = applyHoldingTheLease(config, trigger, differences);
        } finally {
            if (lock.isPresent()) {
                lock.get().release().ifPresent(why -> log.warn(PHASE, "cannot release the setup lease; it frees itself at its expiry",
                        "error", why, "duration", config.setup().lease().duration()));
            }
        }
        // Outside the lease: it guards API server restarts, and the next node need not wait for a ConfigMap write.
        return applied.kind() == ReconcileResult.Kind.APPLIED ? writeThrough(config, applied) : applied;
    }

    /** The node is in sync and healthy: write its settings through to kubeadm-config when that is on. */
    private ReconcileResult writeThrough(AgentConfig config, ReconcileResult pass) throws InterruptedException {
        Optional<KubeadmWriteThrough> target = kubeadmConfig.apply(config);
        if (target.isEmpty()) {
            return pass;
        }
        WriteThroughOutcome outcome;
        try {
            outcome = target.get().enable(config.audit(), false);
        } catch (RuntimeException e) {
            outcome = new WriteThroughOutcome.Failed("unexpected " + e.getClass().getSimpleName() + ": " + describe(e));
        }
        if (outcome instanceof WriteThroughOutcome.Written written) {
            counters.kubeadmConfigWrites.incrementAndGet();
            log.info(PHASE, "audit settings written through to kube-system/kubeadm-config", "changes", summary(written.changes()),
                    "attempts", written.attempts());
        }
        if (outcome.problem()) {
            counters.kubeadmConfigProblems.incrementAndGet();
            String problem = outcome.outcome() + ": " + outcome.detail();
            if (!problem.equals(lastKubeadmProblem)) {
                log.warn(PHASE, "kube-system/kubeadm-config not updated; the node's own setup stands", "outcome", outcome.outcome(),
                        "detail", outcome.detail());
            }
            lastKubeadmProblem = problem;
        } else {
            lastKubeadmProblem = "";
        }
        return pass.withKubeadmConfig(outcome.report(clock.instant()));
    }

    private ReconcileResult applyHoldingTheLease(AgentConfig config, ReconcileResult.Trigger trigger, List<String> differences)
            throws InterruptedException {
        counters.applies.incrementAndGet();
        log.info(PHASE, "applying the audit setup through the safe transaction", "trigger", trigger);
        ApplyOutcome outcome;
        try {
            outcome = setup.apply(config);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            outcome = new ApplyOutcome.Failed(describe(e), Optional.empty());
        }
        Instant done = clock.instant();
        if (outcome instanceof ApplyOutcome.Applied applied) {
            backoff.succeeded();
            notBefore = Instant.MIN;
            log.info(PHASE, "audit setup applied", "changed", applied.changed(), "summary", applied.summary(),
                    "backup", applied.backup().orElse("none"));
            return result(done, trigger, ReconcileResult.Kind.APPLIED, differences, applied.summary(), applied.backup().orElse(null), null);
        }
        return failed(trigger, differences, (ApplyOutcome.Failed) outcome);
    }

    private ReconcileResult failed(ReconcileResult.Trigger trigger, List<String> differences, ApplyOutcome.Failed failed) {
        Instant done = clock.instant();
        counters.applyFailures.incrementAndGet();
        notBefore = done.plus(backoff.failed());
        log.error(PHASE, "audit setup failed", "reason", failed.reason(), "backup", failed.backup().orElse("none"),
                "failures", backoff.consecutiveFailures(), "nextAttempt", notBefore);
        return result(done, trigger, ReconcileResult.Kind.APPLY_FAILED, differences, failed.reason(), failed.backup().orElse(null), notBefore);
    }

    private static ReconcileResult result(Instant at, ReconcileResult.Trigger trigger, ReconcileResult.Kind kind, List<String> differences,
                                          String detail, String backup, Instant nextAttempt) {
        return new ReconcileResult(at, trigger, kind, differences, detail, backup, nextAttempt, null);
    }

    /** The first few differences for a log line; `status` and the status file keep them all. */
    static String summary(List<String> differences) {
        int shown = Math.min(3, differences.size());
        String head = String.join("; ", differences.subList(0, shown));
        return shown == differences.size() ? head : head + "; and " + (differences.size() - shown) + " more";
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
