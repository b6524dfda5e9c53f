package io.kubeaudit.setup;

import io.kubeaudit.apply.NodeSetup;
import io.kubeaudit.apply.Operation;
import io.kubeaudit.apply.RestartPermit;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.kubeadm.KubeadmWriteThrough;
import io.kubeaudit.kubeadm.WriteThroughOutcome;
import java.io.PrintStream;
import java.util.Optional;

/**
 * One setup or teardown of this node, the same for {@code setup}, {@code teardown} and the daemon's
 * reconciler: the transaction, which asks the restart permit (the cluster Lease) only when the change
 * restarts the API server and gives it back once the server is healthy or rolled back; then, when the node
 * ended well, the write-through to kubeadm's ClusterConfiguration (setup.kubeadmConfig), outside the
 * permit: it guards API server restarts, and the next node need not wait for a ConfigMap write.
 */
public final class SetupRun {

    /** Whether a run changes anything, and how much of the policy a dry run shows. */
    public enum Mode {
        /** Changes nothing; shows the manifest's diff and the policy's rules per level before and after. */
        DRY_RUN,
        /** Changes nothing; shows the manifest's diff and the policy's whole diff. */
        DRY_RUN_POLICY_DIFF,
        APPLY;

        public boolean isDryRun() {
            return this != APPLY;
        }
    }

    /** The node's part of a run: the safe transaction ({@link NodeSetup}), or a stand-in in tests. */
    @FunctionalInterface
    public interface Transaction {
        SetupOutcome run(Operation operation, Mode mode) throws InterruptedException;
    }

    /**
     * What a run did.
     *
     * @param node          the node's outcome
     * @param kubeadmConfig the write-through's; empty when setup.kubeadmConfig is off
     */
    public record Result(SetupOutcome node, Optional<WriteThroughOutcome> kubeadmConfig) {
    }

    private final AgentConfig config;
    private final Transaction node;
    private final Optional<KubeadmWriteThrough> kubeadm;

    /** @param kubeadm the write-through for {@code config}; empty when setup.kubeadmConfig is off */
    public SetupRun(AgentConfig config, Transaction node, Optional<KubeadmWriteThrough> kubeadm) {
        this.config = config;
        this.node = node;
        this.kubeadm = kubeadm;
    }

    /**
     * The real node under {@code config.root()}, progress lines to {@code progress}, {@code permit} asked
     * before the API server restarts; kubeadm-config through kubectl when setup.kubeadmConfig says so.
     */
    public static SetupRun forConfig(AgentConfig config, PrintStream progress, RestartPermit permit) {
        NodeSetup setup = NodeSetup.forConfig(config, progress).withRestartPermit(permit);
        Transaction node = (operation, mode) -> {
            if (operation == Operation.TEARDOWN) {
                return setup.teardown(mode.isDryRun());
            }
            return mode.isDryRun() ? setup.setupDryRun(mode == Mode.DRY_RUN_POLICY_DIFF) : setup.setup(false);
        };
        return new SetupRun(config, node, KubeadmWriteThrough.forConfig(config));
    }

    public Result setup(Mode mode) throws InterruptedException {
        return run(Operation.SETUP, mode);
    }

    public Result teardown(Mode mode) throws InterruptedException {
        return run(Operation.TEARDOWN, mode);
    }

    /** Compares the node with the config: a dry run of the setup, without the write-through (nothing asks the API). */
    public SetupOutcome compare() throws InterruptedException {
        return node.run(Operation.SETUP, Mode.DRY_RUN);
    }

    /** The write-through alone, for a node found in sync with the config (a daemon pass with nothing to apply). */
    public Optional<WriteThroughOutcome> writeThrough() throws InterruptedException {
        return kubeadm.isEmpty() ? Optional.empty() : Optional.of(writeThrough(kubeadm.get(), Operation.SETUP, Mode.APPLY));
    }

    /** Whether the node ended healthy (or, in a dry run, was only compared): what may then be written elsewhere. */
    private static boolean succeeded(SetupOutcome outcome) {
        return outcome instanceof SetupOutcome.Unchanged || outcome instanceof SetupOutcome.Planned || outcome instanceof SetupOutcome.Applied;
    }

    private Result run(Operation operation, Mode mode) throws InterruptedException {
        SetupOutcome outcome = node.run(operation, mode);
        if (kubeadm.isEmpty()) {
            return new Result(outcome, Optional.empty());
        }
        WriteThroughOutcome written = succeeded(outcome) ? writeThrough(kubeadm.get(), operation, mode)
                : new WriteThroughOutcome.NotAttempted("the node's " + operation.command() + " did not succeed, so"
                + " kube-system/kubeadm-config was left as it is");
        return new Result(outcome, Optional.of(written));
    }

    /** A problem with kubeadm-config never fails the run: the node's healthy change stands. */
    private WriteThroughOutcome writeThrough(KubeadmWriteThrough target, Operation operation, Mode mode) throws InterruptedException {
        boolean dryRun = mode.isDryRun();
        try {
            return operation == Operation.SETUP ? target.enable(config.audit(), dryRun) : target.disable(dryRun);
        } catch (RuntimeException e) {
            return new WriteThroughOutcome.Failed("unexpected " + e.getClass().getSimpleName() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
