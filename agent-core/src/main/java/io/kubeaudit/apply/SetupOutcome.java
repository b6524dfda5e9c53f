package io.kubeaudit.apply;

import io.kubeaudit.apply.observe.Diagnosis;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How a setup or teardown ended. Exactly one of these; the CLI maps each to its result and exit code. */
public sealed interface SetupOutcome {

    Operation operation();

    /** The node already has this configuration: nothing was written, the server was not restarted. */
    record Unchanged(Operation operation, String summary, List<String> warnings) implements SetupOutcome {
        public Unchanged {
            warnings = List.copyOf(warnings);
        }
    }

    /** Dry run: what would change, as unified diffs; nothing was written. */
    record Planned(Operation operation, String diff, List<String> changes, List<String> warnings) implements SetupOutcome {
        public Planned {
            changes = List.copyOf(changes);
            warnings = List.copyOf(warnings);
        }
    }

    /** The change is in place and the restarted server proved healthy. */
    record Applied(Operation operation, List<String> actions, Optional<BackupLocation> backups, String diff, List<String> warnings)
            implements SetupOutcome {
        public Applied {
            actions = List.copyOf(actions);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Preflight, the lock or the restart permit said no; nothing was changed.
     *
     * @param permit the permit's refusal, when it was the permit (another node restarting: wait, not a failure)
     */
    record Refused(Operation operation, List<String> problems, Optional<RestartPermit.Refusal> permit) implements SetupOutcome {
        public Refused {
            problems = List.copyOf(problems);
        }

        public Refused(Operation operation, List<String> problems) {
            this(operation, problems, Optional.empty());
        }
    }

    /** Something failed before anything was changed (the backup could not be written, say). */
    record Failed(Operation operation, String problem) implements SetupOutcome {
        public Failed {
            Objects.requireNonNull(problem, "problem");
        }
    }

    /**
     * The change failed and was undone.
     *
     * @param failure         what failed
     * @param diagnosis       what the node said about it
     * @param restored        what the rollback put back
     * @param rollbackErrors  what the rollback could not do (each one needs the operator)
     * @param healthAfter     how the server is after the rollback; empty when it could not be checked
     * @param backups         where both backup copies are
     */
    record RolledBack(Operation operation, String failure, List<Diagnosis> diagnosis, List<String> restored,
                      List<String> rollbackErrors, Optional<RollbackHealth> healthAfter, BackupLocation backups)
            implements SetupOutcome {
        public RolledBack {
            diagnosis = List.copyOf(diagnosis);
            restored = List.copyOf(restored);
            rollbackErrors = List.copyOf(rollbackErrors);
        }

        /** The whole story for the operator, in the order they need it. */
        public String message() {
            StringBuilder m = new StringBuilder(operation.command()).append(" failed and was rolled back: ").append(failure);
            for (Diagnosis d : diagnosis) {
                m.append("\n  from ").append(d.source()).append(':');
                d.lines().forEach(l -> m.append("\n    ").append(l));
            }
            m.append("\n  rolled back: ").append(restored.isEmpty() ? "nothing could be restored" : String.join("; ", restored));
            for (String e : rollbackErrors) {
                m.append("\n  ROLLBACK ERROR: ").append(e);
            }
            m.append("\n  ").append(healthAfter.map(RollbackHealth::describe)
                    .orElse("the API server's health was not checked after the rollback (see the rollback errors); look at the node now"));
            m.append("\n  backups: ").append(backups.describe());
            return m.toString();
        }
    }

    /** Whether the server came back after a rollback, and what showed it (or what was missing). */
    record RollbackHealth(boolean healthy, String detail) {
        String describe() {
            return healthy ? "the rolled-back API server is healthy: " + detail
                    : "the rolled-back API server is NOT healthy: " + detail + "; look at the node now";
        }
    }
}
