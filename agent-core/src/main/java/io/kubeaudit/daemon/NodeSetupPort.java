package io.kubeaudit.daemon;

import io.kubeaudit.apply.BackupLocation;
import io.kubeaudit.apply.NodeSetup;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.config.AgentConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's setup through the same transaction as the {@code setup} command: a dry run to compare
 * (it writes nothing and takes no lock), a real run to apply. Progress lines go to the log.
 */
final class NodeSetupPort implements SetupPort {

    private final PrintStream progress;

    NodeSetupPort(PrintStream progress) {
        this.progress = progress;
    }

    @Override
    public SetupState check(AgentConfig config) throws InterruptedException, SetupCheckException {
        SetupOutcome outcome = NodeSetup.forConfig(config, progress).setup(true);
        if (outcome instanceof SetupOutcome.Unchanged) {
            return new SetupState.InSync();
        }
        if (outcome instanceof SetupOutcome.Planned planned) {
            return new SetupState.Drifted(planned.changes().isEmpty() ? List.of("the manifest or policy differs") : planned.changes());
        }
        if (outcome instanceof SetupOutcome.Refused refused) {
            throw new SetupCheckException("the setup would be refused: " + String.join("; ", refused.problems()));
        }
        if (outcome instanceof SetupOutcome.Failed failed) {
            throw new SetupCheckException(failed.problem());
        }
        throw new IllegalStateException("a dry run ended in " + outcome.getClass().getSimpleName());
    }

    @Override
    public ApplyOutcome apply(AgentConfig config) throws InterruptedException {
        SetupOutcome outcome = NodeSetup.forConfig(config, progress).setup(false);
        if (outcome instanceof SetupOutcome.Applied applied) {
            return new ApplyOutcome.Applied(true, String.join("; ", applied.actions()), applied.backups().map(BackupLocation::describe));
        }
        if (outcome instanceof SetupOutcome.Unchanged unchanged) {
            return new ApplyOutcome.Applied(false, unchanged.summary(), Optional.empty());
        }
        if (outcome instanceof SetupOutcome.RolledBack rolledBack) {
            return new ApplyOutcome.Failed(rolledBack.message(), Optional.of(rolledBack.backups().describe()));
        }
        if (outcome instanceof SetupOutcome.Refused refused) {
            return new ApplyOutcome.Failed("refused, nothing changed: " + String.join("; ", refused.problems()), Optional.empty());
        }
        if (outcome instanceof SetupOutcome.Failed failed) {
            return new ApplyOutcome.Failed(failed.problem(), Optional.empty());
        }
        throw new IllegalStateException("a setup ended in " + outcome.getClass().getSimpleName());
    }

    /** The node could not be compared with the config (unreadable manifest, a preflight refusal). */
    static final class SetupCheckException extends Exception {
        SetupCheckException(String message) {
            super(message);
        }
    }
}
