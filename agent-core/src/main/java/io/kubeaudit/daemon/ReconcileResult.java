package io.kubeaudit.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.kubeadm.WriteThroughReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one reconcile pass, as logged, counted and shown by {@code status}.
 *
 * @param differences what had drifted (empty when in sync)
 * @param detail      the apply's summary or failure reason
 * @param nextAttempt   when a failed apply will be tried again (null unless backing off)
 * @param kubeadmConfig the write-through to kubeadm-config that followed a healthy pass (null when off or not run)
 * @param rollback      what the rollback of a failed apply did (null unless the apply was rolled back)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReconcileResult(Instant at, Trigger trigger, Kind kind, List<String> differences, String detail, String backup,
                              Instant nextAttempt, WriteThroughReport kubeadmConfig, Rollback rollback) {

    public ReconcileResult {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(kind, "kind");
        differences = List.copyOf(differences);
    }

    public ReconcileResult withKubeadmConfig(WriteThroughReport report) {
        return new ReconcileResult(at, trigger, kind, differences, detail, backup, nextAttempt, report, rollback);
    }

    /**
     * A rolled-back apply as the transaction reported it, kept whole for {@code status}: the errors are what
     * needs the operator, and a server unhealthy after the rollback is worse than the failure itself.
     *
     * @param failure        what failed
     * @param restored       what the rollback put back
     * @param errors         what it could not do
     * @param healthyAfter   whether the API server answered after the rollback; null when that was not checked
     * @param healthDetail   what showed it, or what was missing
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rollback(String failure, List<String> restored, List<String> errors, Boolean healthyAfter, String healthDetail) {
        public Rollback {
            restored = List.copyOf(restored);
            errors = List.copyOf(errors);
        }

        static Rollback of(SetupOutcome.RolledBack r) {
            return new Rollback(r.failure(), r.restored(), r.rollbackErrors(),
                    r.healthAfter().map(SetupOutcome.RollbackHealth::healthy).orElse(null),
                    r.healthAfter().map(SetupOutcome.RollbackHealth::detail).orElse(null));
        }
    }

    public enum Trigger {
        START, PERIODIC, FILE_CHANGE, RELOAD;

        /**
         * Whether the config asked for this pass (the daemon started, or an operator reloaded a changed
         * config): a difference then is the config's wish, applied whatever onDrift says, not drift.
         */
        public boolean isConfigChange() {
            return this == START || this == RELOAD;
        }
    }

    public enum Kind {
        /** The node matches the config. */
        IN_SYNC,
        /** Drift was found and the transaction applied the config. */
        APPLIED,
        /** Drift was found; onDrift: report, so nothing was changed. */
        DRIFT_REPORTED,
        /** The transaction failed (and rolled back); the next attempt waits for the backoff. */
        APPLY_FAILED,
        /** Drift is known but an earlier failure's backoff has not expired yet. */
        BACKING_OFF,
        /** Drift is known but another node holds the setup lease (its API server is restarting). */
        WAITING_FOR_LEASE,
        /** The node could not even be compared (manifest unreadable, ...). */
        CHECK_FAILED,
        /** setup.enabled is false: shipping only. */
        DISABLED;

        public boolean isProblem() {
            return this == DRIFT_REPORTED || this == APPLY_FAILED || this == BACKING_OFF || this == WAITING_FOR_LEASE || this == CHECK_FAILED;
        }
    }
}
