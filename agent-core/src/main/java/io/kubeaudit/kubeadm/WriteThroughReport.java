package io.kubeaudit.kubeadm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A write-through outcome as data, for {@code --output json} and the daemon's status file.
 *
 * @param outcome unchanged, written, planned, skipped, not attempted, refused or failed
 * @param problem whether the operator should look at it (skipped, refused, failed)
 * @param diff    the ClusterConfiguration's unified diff (written and planned only)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WriteThroughReport(Instant at, String outcome, boolean problem, String detail, List<String> changes, String diff) {

    public WriteThroughReport {
        Objects.requireNonNull(outcome, "outcome");
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
