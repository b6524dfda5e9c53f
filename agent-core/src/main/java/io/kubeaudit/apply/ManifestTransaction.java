package io.kubeaudit.apply;

import io.kubeaudit.apply.health.HealthVerdict;
import io.kubeaudit.apply.health.HealthWaiter;
import io.kubeaudit.apply.observe.Diagnosis;
import io.kubeaudit.apply.observe.KubeletRefusal;
import io.kubeaudit.config.Units;
import io.kubeaudit.log.Progress;
import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.ExclusiveLock;
import io.kubeaudit.node.PrivateDirectory;
import io.kubeaudit.time.WaitClock;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One setup or teardown on the node, read top to bottom like kubeadm's upgradeComponent: lock,
 * preflight, backup, policy, swap, wait for health; any failure after the backup goes through the
 * one {@link #rollback} path, which puts back everything recorded so far and checks the server again.
 * Each undo is recorded before its change is made, so a step that fails half-way is undone too.
 * Backups are kept on success and on failure, on purpose: they are the operator's way back.
 */
final class ManifestTransaction {

    static final String JOURNAL_FILE = "unfinished-run";

    private final Operation operation;
    private final Preflight preflight;
    private final TransactionFiles files;
    private final NodeProbes probes;
    private final HealthWaiter waiter;
    private final Path lockFile;
    private final RunJournal journal;
    private final Progress progress;
    private final WaitClock clock;
    private final RestartPermit permit;

    /**
     * @param lockFile host path of the lock; the journal of unfinished runs lives beside it
     * @param permit   asked before a change that restarts the API server, given back after it
     */
    ManifestTransaction(Operation operation, Preflight preflight, TransactionFiles files, NodeProbes probes, HealthWaiter waiter,
                        Path lockFile, Progress progress, WaitClock clock, RestartPermit permit) {
        this.operation = operation;
        this.preflight = preflight;
        this.files = files;
        this.probes = probes;
        this.waiter = waiter;
        this.lockFile = lockFile;
        this.journal = new RunJournal(lockFile.resolveSibling(JOURNAL_FILE));
        this.progress = progress;
        this.clock = clock;
        this.permit = permit;
    }

    /** What would change, as unified diffs (the policy's summed up unless {@code fullPolicyDiff}); writes nothing, not even the lock file. */
    SetupOutcome dryRun(boolean fullPolicyDiff) {
        try {
            SetupPlan plan = preflight();
            if (!plan.changesAnything()) {
                return unchanged(plan);
            }
            return new SetupOutcome.Planned(operation, plan.diff(fullPolicyDiff), changes(plan), plan.warnings());
        } catch (SetupRefusedException e) {
            return refused(e);
        }
    }

    SetupOutcome run() throws InterruptedException {
        try (ExclusiveLock lock = lock()) {
            Optional<RunJournal.Entry> unfinished = unfinishedRun();
            SetupPlan plan = preflight();
            removeStaleTemps(plan);
            if (unfinished.isPresent()) {
                plan = plan.withWarning(unfinished.get().describe());
            }
            if (!plan.changesAnything()) {
                return unfinished.isPresent() ? checkAfterUnfinishedRun(plan, unfinished.get()) : unchanged(plan);
            }
            if (!plan.changesManifest()) {
                return reinstallPolicy(plan);
            }
            return restart(plan);
        } catch (SetupLockedException e) {
            return new SetupOutcome.Refused(operation, List.of(e.getMessage()));
        } catch (SetupRefusedException e) {
            return refused(e);
        } catch (IOException e) {
            return new SetupOutcome.Failed(operation, e.getMessage() + "; nothing was changed");
        }
    }

    /** A change that restarts the API server: only with the permit, given back once the server is healthy or rolled back. */
    private SetupOutcome restart(SetupPlan plan) throws InterruptedException {
        Optional<RestartPermit.Refusal> refusal = permit.acquire(text -> progress.say("lease", text));
        if (refusal.isPresent()) {
            progress.say("lease", "refused; nothing was changed");
            return new SetupOutcome.Refused(operation, List.of(refusal.get().message()), refusal);
        }
        try {
            return change(plan);
        } finally {
            permit.release(text -> progress.say("lease", text));
        }
    }

    /** Backup, policy, swap, health. */
    private SetupOutcome change(SetupPlan plan) throws InterruptedException {
        BackupLocation backups;
        try {
            backups = backup(plan);
        } catch (IOException e) {
            return new SetupOutcome.Failed(operation, "could not back up " + plan.manifestNodePath() + ": " + e.getMessage()
                    + "; nothing was changed");
        }
        try {
            journal.started(operation, clock.instant(), backups);
        } catch (IOException e) {
            return new SetupOutcome.Failed(operation, "could not record the run in the state dir: " + e.getMessage()
                    + "; nothing was changed");
        }
        Recovery recovery = new Recovery(plan, backups);
        NodeProbes.ServerWatch watch;
        Instant changedAt;
        try {
            installPolicy(plan, recovery);
            // Watch before the swap: only a server that starts after it proves the new configuration runs.
            watch = probes.watch(plan.after(), plan.before());
            changedAt = clock.instant();
            swapManifest(plan, recovery);
        } catch (IOException | RuntimeException e) {
            return rollback(recovery, new Failure(describe(e), List.of(), NewServer.NEVER_RAN));
        }
        HealthVerdict verdict;
        try {
            verdict = waitForHealth(plan, watch, changedAt);
        } catch (RuntimeException e) {
            // The swap is done: a server with the new configuration may be running.
            return rollback(recovery, new Failure("the health check itself failed: " + describe(e), List.of(), NewServer.RAN));
        }
        if (verdict instanceof HealthVerdict.Unhealthy unhealthy) {
            List<Diagnosis> diagnosis = probes.diagnose(watch, changedAt);
            String failure = unhealthy.stage() == HealthVerdict.Stage.NOT_RESTARTED
                    ? KubeletRefusal.explain(unhealthy.reason(), diagnosis) : unhealthy.reason();
            return rollback(recovery, new Failure(failure, diagnosis, unhealthy.restarted() ? NewServer.RAN : NewServer.NEVER_RAN));
        }
        return applied(plan, backups, (HealthVerdict.Healthy) verdict);
    }

    /** A run killed half-way leaves its journal entry; say so, with where its backups are. */
    private Optional<RunJournal.Entry> unfinishedRun() throws IOException {
        Optional<RunJournal.Entry> entry = journal.read();
        entry.ifPresent(e -> progress.say("preflight", "warning: " + e.describe()));
        return entry;
    }

    /**
     * Nothing to change, but an earlier run was killed after it may have swapped the manifest and
     * before it proved the server healthy: prove it now rather than report "nothing to do".
     */
    private SetupOutcome checkAfterUnfinishedRun(SetupPlan plan, RunJournal.Entry unfinished) throws InterruptedException {
        NodeProbes.ServerWatch watch;
        try {
            watch = probes.watch(plan.after(), plan.after());
        } catch (IOException e) {
            return new SetupOutcome.Failed(operation, unfinished.describe() + "; cannot check the API server: " + e.getMessage());
        }
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the current configuration", watch, HealthWaiter.Restart.NOT_REQUIRED,
                probes.answers(plan.after()), Optional.empty()));
        if (v instanceof HealthVerdict.Unhealthy u) {
            return new SetupOutcome.Failed(operation, unfinished.describe() + ". " + plan.manifestNodePath() + " already holds what this run"
                    + " would write, but the API server is not healthy: " + u.reason() + ". Nothing was changed by this run; fix the"
                    + " cause, or put back the earlier manifest from " + unfinished.backups().stateDir());
        }
        finishJournal();
        SetupOutcome.Unchanged u = (SetupOutcome.Unchanged) unchanged(plan);
        return new SetupOutcome.Unchanged(operation, u.summary() + "; the API server is healthy", u.warnings());
    }

    /** The run is over (applied or rolled back): the next run has nothing to warn about. */
    private void finishJournal() {
        try {
            journal.finished();
        } catch (IOException e) {
            progress.say("done", "warning: could not remove the unfinished-run record: " + e.getMessage()
                    + "; the next run will warn about this one");
        }
    }

    private ExclusiveLock lock() throws IOException, SetupLockedException {
        PrivateDirectory.ensure(lockFile.getParent());
        try {
            return ExclusiveLock.acquire(lockFile, operation.command());
        } catch (ExclusiveLock.HeldException e) {
            throw new SetupLockedException("another kube-audit-agent setup or teardown is running on this node (" + e.getMessage()
                    + "); wait for it to finish: the lock is released when it exits");
        }
    }

    /**
     * A run killed during the swap leaves its hidden temp file; the kubelet ignores it, we tidy it up
     * once preflight has passed (a refused run changes nothing at all).
     */
    private void removeStaleTemps(SetupPlan plan) throws IOException {
        for (Path temp : files.removeStaleTemps(plan.manifestFile())) {
            progress.say("preflight", "removed " + temp.getFileName() + ", left by an interrupted run");
        }
    }

    private SetupPlan preflight() throws SetupRefusedException {
        SetupPlan plan = operation == Operation.SETUP ? preflight.planSetup() : preflight.planTeardown();
        plan.warnings().forEach(w -> progress.say("preflight", "warning: " + w));
        progress.say("preflight", "ok: " + plan.manifestNodePath() + " parses and can be edited"
                + plan.policy().map(p -> "; policy " + p.name() + " is valid for this server").orElse(""));
        return plan;
    }

    private BackupLocation backup(SetupPlan plan) throws IOException {
        BackupLocation backups = files.backup(plan);
        progress.say("backup", "saved " + plan.manifestFile().getFileName()
                + (plan.policy().flatMap(PolicyChange::previous).isPresent() ? " and the current policy" : "")
                + " to " + backups.describe());
        return backups;
    }

    private void installPolicy(SetupPlan plan, Recovery recovery) throws IOException {
        if (plan.policy().isEmpty()) {
            return;
        }
        PolicyChange policy = plan.policy().get();
        recovery.policyTouched = true;
        try {
            boolean written = files.installPolicy(policy);
            progress.say("policy", (written ? "installed " : "already in place: ") + policy.nodePath() + " (" + policy.name()
                    + ", mode 0600)");
        } catch (IOException e) {
            throw new IOException("could not install the policy " + policy.nodePath() + ": " + e.getMessage(), e);
        }
    }

    private void swapManifest(SetupPlan plan, Recovery recovery) throws IOException {
        recovery.manifestTouched = true;
        try {
            // The file keeps its mode: the agent changes what it added, not the file's owner-set permissions (a teardown
            // gives back the mode it found, and config management that enforces a mode does not fight the agent).
            files.writeManifest(plan.manifestFile(), plan.newManifest(), plan.originalMode());
        } catch (IOException e) {
            throw new IOException("could not replace " + plan.manifestNodePath() + ": " + e.getMessage(), e);
        }
        progress.say("swap", "replaced " + plan.manifestNodePath() + " atomically (mode " + PosixFilePermissions.toString(plan.originalMode())
                + " kept); the kubelet restarts kube-apiserver now");
    }

    private HealthVerdict waitForHealth(SetupPlan plan, NodeProbes.ServerWatch watch, Instant changedAt) throws InterruptedException {
        return waiter.await(new HealthWaiter.Expectation("the new configuration", watch, HealthWaiter.Restart.REQUIRED, probes.answers(plan.after()),
                probes.auditEvent(plan, changedAt)));
    }

    /**
     * The one way back: the policy first (the restored server reads it once, when it starts), then the
     * manifest through the same atomic write, then a new wait for health. Keeps going past errors and
     * reports every one: a rollback error is exactly what the operator must see.
     */
    private SetupOutcome rollback(Recovery recovery, Failure failure) throws InterruptedException {
        sayWhy(failure);
        Restoration undone = new Restoration();
        // Watch before the manifest goes back: only a server started after that runs the previous configuration.
        Optional<NodeProbes.ServerWatch> watch = watchForRestoredServer(recovery.plan, undone);
        restorePolicy(recovery, undone);
        restoreManifest(recovery, undone);
        undone.restored.forEach(r -> progress.say("rollback", r));
        undone.errors.forEach(e -> progress.say("rollback", "ERROR: " + e));
        Optional<SetupOutcome.RollbackHealth> health = undone.manifestBack && watch.isPresent()
                ? Optional.of(healthAfterRollback(recovery, watch.get(), failure.newServer())) : Optional.empty();
        if (undone.errors.isEmpty()) {
            finishJournal();
        }
        return new SetupOutcome.RolledBack(operation, failure.reason(), failure.diagnosis(), undone.restored, undone.errors, health,
                recovery.backups);
    }

    private void sayWhy(Failure failure) {
        progress.say("rollback", failure.reason());
        for (Diagnosis d : failure.diagnosis()) {
            progress.say("rollback", "from " + d.source() + ":");
            d.lines().forEach(l -> progress.say("rollback", "  " + l));
        }
    }

    private Optional<NodeProbes.ServerWatch> watchForRestoredServer(SetupPlan plan, Restoration undone) {
        try {
            return Optional.of(probes.watch(plan.before(), plan.after()));
        } catch (IOException e) {
            undone.errors.add("cannot watch for the restored server: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void restorePolicy(Recovery recovery, Restoration undone) {
        if (!recovery.policyTouched) {
            return;
        }
        PolicyChange policy = recovery.plan.policy().orElseThrow();
        try {
            files.restorePolicy(policy);
            undone.restored.add(policy.previous().isPresent() ? "put back the previous policy " + policy.nodePath()
                    : "removed the policy " + policy.nodePath() + " this run had installed");
        } catch (IOException | RuntimeException e) {
            undone.errors.add("could not restore the policy " + policy.nodePath() + ": " + describe(e)
                    + (policy.previous().isPresent() ? "; its previous content is in the backups" : ""));
        }
    }

    private void restoreManifest(Recovery recovery, Restoration undone) {
        SetupPlan plan = recovery.plan;
        if (!recovery.manifestTouched) {
            undone.manifestBack = true;
            return;
        }
        try {
            files.writeManifest(plan.manifestFile(), plan.original(), plan.originalMode());
            undone.manifestBack = true;
            undone.restored.add("restored " + plan.manifestNodePath() + " from the backup");
        } catch (IOException | RuntimeException e) {
            undone.errors.add("could not restore " + plan.manifestNodePath() + ": " + describe(e) + "; copy it back by hand from "
                    + recovery.backups.stateDir().resolve(plan.manifestFile().getFileName()));
        }
    }

    /**
     * Only a server that ran the new configuration has to be replaced once more; otherwise the server that
     * is there (never restarted) is the previous configuration's.
     */
    private SetupOutcome.RollbackHealth healthAfterRollback(Recovery recovery, NodeProbes.ServerWatch watch, NewServer newServer)
            throws InterruptedException {
        HealthWaiter.Restart restart = recovery.manifestTouched && newServer == NewServer.RAN
                ? HealthWaiter.Restart.REQUIRED : HealthWaiter.Restart.NOT_REQUIRED;
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the previous configuration", watch, restart,
                probes.answers(recovery.plan.before()), Optional.empty()));
        return v instanceof HealthVerdict.Healthy h ? new SetupOutcome.RollbackHealth(true, h.evidence())
                : new SetupOutcome.RollbackHealth(false, ((HealthVerdict.Unhealthy) v).reason());
    }

    /** The manifest already records this policy's hash but the file differs: put the file back, no restart needed. */
    private SetupOutcome reinstallPolicy(SetupPlan plan) {
        PolicyChange policy = plan.policy().orElseThrow();
        try {
            BackupLocation backups = backup(plan);
            files.installPolicy(policy);
            progress.say("policy", "reinstalled " + policy.nodePath());
            return new SetupOutcome.Applied(operation, List.of("reinstalled the policy " + policy.nodePath() + " (" + policy.name()
                    + "): the file differed from the policy whose hash the manifest records. The API server reads it only at start;"
                    + " the manifest is unchanged, so it was not restarted"), Optional.of(backups), plan.diff(), plan.warnings());
        } catch (IOException e) {
            return new SetupOutcome.Failed(operation, "could not reinstall the policy " + policy.nodePath() + ": " + e.getMessage());
        }
    }

    private SetupOutcome applied(SetupPlan plan, BackupLocation backups, HealthVerdict.Healthy healthy) {
        List<String> actions = new ArrayList<>();
        plan.policy().filter(p -> !p.upToDate()).ifPresent(p -> actions.add("installed policy " + p.name() + " at " + p.nodePath()));
        actions.add("updated " + plan.manifestNodePath() + ":");
        plan.edit().changes().forEach(c -> actions.add("  " + c));
        actions.add("kube-apiserver restarted and is healthy: " + healthy.evidence());
        if (operation == Operation.TEARDOWN) {
            actions.add("left the policy file in place (the server no longer reads it); delete it if it is not wanted");
        }
        actions.add("backups: " + backups.describe());
        finishJournal();
        progress.say("done", operation.command() + " complete");
        // The manifest's diff only: a new policy file's "diff" is the whole file, and `policy show` prints it.
        return new SetupOutcome.Applied(operation, actions, Optional.of(backups), plan.edit().unifiedDiff(plan.manifestNodePath()),
                plan.warnings());
    }

    private SetupOutcome unchanged(SetupPlan plan) {
        String summary = operation == Operation.SETUP
                ? plan.manifestNodePath() + " already runs with this audit configuration" + plan.policy().map(p -> " and policy "
                + p.name()).orElse("") + "; nothing to do"
                : plan.manifestNodePath() + " has no audit configuration to remove; nothing to do";
        progress.say("preflight", summary);
        return new SetupOutcome.Unchanged(operation, summary, plan.warnings());
    }

    private SetupOutcome refused(SetupRefusedException e) {
        progress.say("preflight", "refused; nothing was changed");
        return new SetupOutcome.Refused(operation, e.problems());
    }

    private static List<String> changes(SetupPlan plan) {
        List<String> out = new ArrayList<>(plan.edit().changes());
        plan.policy().filter(p -> !p.upToDate()).ifPresent(p -> out.add((p.previous().isPresent() ? "replace" : "install")
                + " policy " + p.nodePath() + " (" + p.name() + ", " + Units.formatSize(p.content().length) + ")"));
        return out;
    }

    /** An exception as one line for the operator; one without a message is named by its type, since it is a bug. */
    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() + " (unexpected; please report)" : m;
    }

    /** Whether a server with the new configuration ran: then the rollback must see it replaced once more. */
    private enum NewServer { RAN, NEVER_RAN }

    /** Why a change is undone: what failed, and what the node said about it. */
    private record Failure(String reason, List<Diagnosis> diagnosis, NewServer newServer) {
    }

    /** What the rollback put back, what it could not, and whether the manifest is the previous one again. */
    private static final class Restoration {
        final List<String> restored = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        boolean manifestBack;
    }

    /** What has been changed so far, recorded before each change is made. */
    private static final class Recovery {
        final SetupPlan plan;
        final BackupLocation backups;
        boolean policyTouched;
        boolean manifestTouched;

        Recovery(SetupPlan plan, BackupLocation backups) {
            this.plan = plan;
            this.backups = backups;
        }
    }
}
