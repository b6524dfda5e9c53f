package io.kubeaudit.daemon;

import io.kubeaudit.apply.BackupLocation;
import io.kubeaudit.apply.RestartPermit;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.kubeadm.WriteThroughOutcome;
import io.kubeaudit.kubeadm.WriteThroughReport;
import io.kubeaudit.log.Log;
import io.kubeaudit.setup.SetupRun;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One reconcile pass: compare the node with the config and, on drift, re-apply through the same
 * {@link SetupRun} as the {@code setup} command, or only report, as {@code setup.onDrift} says. At start
 * and after a reload the config is applied whatever onDrift says (a config change is the operator's wish,
 * not drift). A failed apply sets a backoff; until it expires, drift is reported as BACKING_OFF and nothing
 * is tried. Runs on one thread at a time (the daemon's setup worker).
 *
 * <p>The run takes the cluster Lease only when the change restarts the API server, as for the command;
 * another node holding it is no failure (WAITING_FOR_LEASE, tried again at the next pass), an API that
 * cannot be asked is one. With setup.kubeadmConfig: writeThrough, a pass that ends with the node in sync
 * (already, or after a healthy apply) also writes the settings through to kubeadm-config: one read per pass
 * while nothing differs, so that a {@code kubeadm upgrade} that re-uploaded the config without them, or a
 * first enabling, is caught up. Its outcome rides on the result; a problem there never changes the pass's
 * own kind and is logged once until it changes.
 */
final class Reconciler {

    private static final String PHASE = "daemon/reconcile";

    private final Function<AgentConfig, SetupRun> runs;
    private final DaemonCounters counters;
    private final Log log;
    private final InstantSource clock;
    private Backoff backoff;
    private Instant notBefore = Instant.MIN;
    private SetupConfig backoffConfig;
    /** The last write-through problem logged (outcome and detail), so a repeating one is logged once. */
    private String lastKubeadmProblem = "";

    /** @param runs the setup run for a config: the transaction with its restart permit, and the write-through */
    Reconciler(Function<AgentConfig, SetupRun> runs, DaemonCounters counters, Log log, InstantSource clock) {
        this.runs = runs;
        this.counters = counters;
        this.log = log;
        this.clock = clock;
    }

    ReconcileResult reconcile(AgentConfig config, ReconcileResult.Trigger trigger) throws InterruptedException {
        Instant now = clock.instant();
        SetupConfig sc = config.setup();
        if (!sc.enabled()) {
            return result(now, trigger, ReconcileResult.Kind.DISABLED, List.of(), "setup.enabled is false: shipping only");
        }
        if (!sc.equals(backoffConfig)) {
            backoff = new Backoff(sc.backoffInitial(), sc.backoffMax());
            backoffConfig = sc;
            notBefore = Instant.MIN;
        }
        SetupRun run = runs.apply(config);
        List<String> differences;
        try {
            Optional<List<String>> drift = differences(run.compare());
            if (drift.isEmpty()) {
                return withKubeadmConfig(result(now, trigger, ReconcileResult.Kind.IN_SYNC, List.of(), "audit setup matches the config"),
                        run.writeThrough());
            }
            differences = drift.get();
        } catch (CheckFailed | RuntimeException e) {
            log.error(PHASE, "cannot compare the node with the config", "trigger", trigger, "error", e);
            return result(now, trigger, ReconcileResult.Kind.CHECK_FAILED, List.of(), describe(e));
        }
        if (!trigger.isConfigChange()) {
            counters.driftsDetected.incrementAndGet();
        }
        log.warn(PHASE, trigger.isConfigChange() ? "audit setup differs from the config" : "audit setup drifted",
                "trigger", trigger, "differences", summary(differences), "onDrift", sc.onDrift());
        if (!trigger.isConfigChange() && sc.onDrift() == SetupConfig.DriftAction.REPORT) {
            return result(now, trigger, ReconcileResult.Kind.DRIFT_REPORTED, differences,
                    "setup.onDrift is report: not re-applied; run `kube-audit-agent setup` or set onDrift: reapply");
        }
        if (now.isBefore(notBefore)) {
            return new ReconcileResult(now, trigger, ReconcileResult.Kind.BACKING_OFF, differences,
                    "the last apply failed; waiting before the next attempt", null, notBefore, null, null);
        }
        return apply(run, trigger, differences);
    }

    /** The comparison's differences; empty when in sync. */
    private static Optional<List<String>> differences(SetupOutcome compared) throws CheckFailed {
        if (compared instanceof SetupOutcome.Unchanged) {
            return Optional.empty();
        }
        if (compared instanceof SetupOutcome.Planned planned) {
            return Optional.of(planned.changes().isEmpty() ? List.of("the manifest or policy differs") : planned.changes());
        }
        if (compared instanceof SetupOutcome.Refused refused) {
            throw new CheckFailed("the setup would be refused: " + String.join("; ", refused.problems()));
        }
        if (compared instanceof SetupOutcome.Failed failed) {
            throw new CheckFailed(failed.problem());
        }
        throw new IllegalStateException("a dry run ended in " + compared.getClass().getSimpleName());
    }

    private ReconcileResult apply(SetupRun run, ReconcileResult.Trigger trigger, List<String> differences) throws InterruptedException {
        log.info(PHASE, "applying the audit setup through the safe transaction", "trigger", trigger);
        SetupRun.Result result;
        try {
            result = run.setup(SetupRun.Mode.APPLY);
        } catch (RuntimeException e) {
            counters.applies.incrementAndGet();
            return failed(trigger, differences, describe(e), Optional.empty(), null);
        }
        SetupOutcome node = result.node();
        boolean leaseRefused = node instanceof SetupOutcome.Refused r && r.permit().isPresent();
        if (!leaseRefused) {
            counters.applies.incrementAndGet();
        }
        Instant done = clock.instant();
        if (node instanceof SetupOutcome.Applied || node instanceof SetupOutcome.Unchanged) {
            backoff.succeeded();
            notBefore = Instant.MIN;
            String summary = node instanceof SetupOutcome.Applied a ? String.join("; ", a.actions()) : ((SetupOutcome.Unchanged) node).summary();
            Optional<BackupLocation> backups = node instanceof SetupOutcome.Applied a ? a.backups() : Optional.empty();
            log.info(PHASE, "audit setup applied", "changed", node instanceof SetupOutcome.Applied, "summary", summary,
                    "backup", backups.map(BackupLocation::describe).orElse("none"));
            return withKubeadmConfig(new ReconcileResult(done, trigger, ReconcileResult.Kind.APPLIED, differences, summary,
                    backups.map(BackupLocation::describe).orElse(null), null, null, null), result.kubeadmConfig());
        }
        if (node instanceof SetupOutcome.Refused refused && refused.permit().isPresent()) {
            RestartPermit.Refusal refusal = refused.permit().get();
            if (refusal instanceof RestartPermit.Refusal.Busy busy) {
                log.info(PHASE, "another node holds the setup lease; waiting for it before restarting this API server",
                        "holder", busy.holder(), "until", busy.until());
                return result(done, trigger, ReconcileResult.Kind.WAITING_FOR_LEASE, differences, "the setup lease is held by "
                        + busy.holder() + " until " + busy.until() + "; trying again at the next reconcile");
            }
            return failed(trigger, differences, "no setup lease, so no restart: " + ((RestartPermit.Refusal.Unavailable) refusal).cause()
                    + " (set setup.lease.enabled: false where no other node needs protecting)", Optional.empty(), null);
        }
        if (node instanceof SetupOutcome.RolledBack rolledBack) {
            return failed(trigger, differences, rolledBack.message(), Optional.of(rolledBack.backups()),
                    ReconcileResult.Rollback.of(rolledBack));
        }
        if (node instanceof SetupOutcome.Refused refused) {
            return failed(trigger, differences, "refused, nothing changed: " + String.join("; ", refused.problems()), Optional.empty(), null);
        }
        if (node instanceof SetupOutcome.Failed f) {
            return failed(trigger, differences, f.problem(), Optional.empty(), null);
        }
        throw new IllegalStateException("a setup ended in " + node.getClass().getSimpleName());
    }

    private ReconcileResult failed(ReconcileResult.Trigger trigger, List<String> differences, String reason,
                                   Optional<BackupLocation> backups, ReconcileResult.Rollback rollback) {
        Instant done = clock.instant();
        counters.applyFailures.incrementAndGet();
        notBefore = done.plus(backoff.failed());
        String backup = backups.map(BackupLocation::describe).orElse(null);
        if (rollback != null && !rollback.errors().isEmpty()) {
            log.error(PHASE, "audit setup failed and the rollback could not undo everything: the node needs the operator",
                    "rollbackErrors", rollback.errors(), "backup", backup);
        }
        log.error(PHASE, "audit setup failed", "reason", reason, "backup", backup == null ? "none" : backup,
                "failures", backoff.consecutiveFailures(), "nextAttempt", notBefore);
        return new ReconcileResult(done, trigger, ReconcileResult.Kind.APPLY_FAILED, differences, reason, backup, notBefore, null, rollback);
    }

    /** The pass's result with the write-through that followed it; its problems are counted and logged once until they change. */
    private ReconcileResult withKubeadmConfig(ReconcileResult pass, Optional<WriteThroughOutcome> written) {
        if (written.isEmpty()) {
            return pass;
        }
        WriteThroughOutcome outcome = written.get();
        if (outcome instanceof WriteThroughOutcome.Written w) {
            counters.kubeadmConfigWrites.incrementAndGet();
            log.info(PHASE, "audit settings written through to kube-system/kubeadm-config", "changes", summary(w.changes()),
                    "attempts", w.attempts());
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
        WriteThroughReport report = outcome.report(clock.instant());
        return pass.withKubeadmConfig(report);
    }

    private static ReconcileResult result(Instant at, ReconcileResult.Trigger trigger, ReconcileResult.Kind kind, List<String> differences,
                                          String detail) {
        return new ReconcileResult(at, trigger, kind, differences, detail, null, null, null, null);
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

    /** The node could not be compared with the config (unreadable manifest, a preflight refusal). */
    private static final class CheckFailed extends Exception {
        CheckFailed(String message) {
            super(message);
        }
    }
}
