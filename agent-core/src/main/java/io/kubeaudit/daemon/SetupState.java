package io.kubeaudit.daemon;

import java.util.List;

/** How the node's audit setup compares with the config. */
sealed interface SetupState {

    record InSync() implements SetupState {
    }

    /** @param differences one line each, for the log and the status: "flag --audit-log-path missing", ... */
    record Drifted(List<String> differences) implements SetupState {
        public Drifted {
            differences = List.copyOf(differences);
            if (differences.isEmpty()) {
                throw new IllegalArgumentException("a drift names at least one difference");
            }
        }
    }
}
