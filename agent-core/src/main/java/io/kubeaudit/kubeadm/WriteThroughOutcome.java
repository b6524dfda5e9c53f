package io.kubeaudit.kubeadm;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one write-through to kubeadm's ClusterConfiguration ended. Only {@link Skipped}, {@link Refused} and
 * {@link Failed} need the operator; none of them undoes the node's own (healthy) setup.
 */
public sealed interface WriteThroughOutcome {

    /** The word shown in results and {@code status}. */
    String outcome();

    /** One line for the operator. */
    String detail();

    default List<String> changes() {
        return List.of();
    }

    default String diff() {
        return null;
    }

    /** Whether the operator should look at it (a warning in results, a problem in {@code status}). */
    default boolean problem() {
        return false;
    }

    /** Whether the ConfigMap was (or, in a dry run, would be) written. */
    default boolean changed() {
        return false;
    }

    default WriteThroughReport report(Instant at) {
        return new WriteThroughReport(at, outcome(), problem(), detail(), changes(), diff());
    }

    /** The outcomes the operator must look at: nothing was written, and the reason is in {@link #detail}. */
    sealed interface Problem extends WriteThroughOutcome {
        @Override
        default boolean problem() {
            return true;
        }
    }

    /** The ConfigMap already carries exactly these settings: nothing was written. */
    record Unchanged(String detail) implements WriteThroughOutcome {
        @Override
        public String outcome() {
            return "unchanged";
        }
    }

    /** The ConfigMap was replaced; {@code attempts} counts the reads it took (a 409 Conflict means read again). */
    record Written(List<String> changes, String diff, int attempts) implements WriteThroughOutcome {
        public Written {
            changes = List.copyOf(changes);
        }

        @Override
        public String outcome() {
            return "written";
        }

        @Override
        public String detail() {
            return KubeadmConfigMap.OBJECT + " updated (" + changes.size() + (changes.size() == 1 ? " change" : " changes")
                    + (attempts > 1 ? ", after " + (attempts - 1) + " conflicting update" + (attempts > 2 ? "s" : "") + " by others" : "")
                    + ")";
        }

        @Override
        public boolean changed() {
            return true;
        }
    }

    /** Dry run: what would be written. */
    record Planned(List<String> changes, String diff) implements WriteThroughOutcome {
        public Planned {
            changes = List.copyOf(changes);
        }

        @Override
        public String outcome() {
            return "planned";
        }

        @Override
        public String detail() {
            return "dry run: " + KubeadmConfigMap.OBJECT + " would get " + changes.size() + (changes.size() == 1 ? " change" : " changes");
        }

        @Override
        public boolean changed() {
            return true;
        }
    }

    /** There is nothing to write to (no kubeadm-config: not a kubeadm cluster). */
    record Skipped(String detail) implements Problem {
        public Skipped {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String outcome() {
            return "skipped";
        }
    }

    /** The node's own setup did not end healthy, so its settings are not written through. */
    record NotAttempted(String detail) implements WriteThroughOutcome {
        @Override
        public String outcome() {
            return "not attempted";
        }
    }

    /** The ClusterConfiguration cannot be edited safely (unknown apiVersion, a conflicting volume); nothing was written. */
    record Refused(String detail) implements Problem {
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String outcome() {
            return "refused";
        }
    }

    /** The API could not be read or written, or the object kept changing; nothing was written. */
    record Failed(String detail) implements Problem {
        public Failed {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String outcome() {
            return "failed";
        }
    }
}
