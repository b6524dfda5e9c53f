package io.kubeaudit.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubeaudit.kubeadm.WriteThroughReport;
import java.time.Instant;

/**
 * What the running daemon publishes for {@code status} (a separate process) in its state directory.
 *
 * @param state        starting, running, reloading, stopping or stopped
 * @param lastReload   the last SIGHUP's outcome ("applied" or why it was rejected); null before the first
 * @param crossCheck   the last comparison of the API server's audit counters with the lines read; null before the first
 * @param kubeadmConfig the last write-through to kubeadm's ClusterConfiguration; null when off or before the first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DaemonStatus(long pid, Instant startedAt, Instant updatedAt, String state, String configFile,
                           ReconcileResult lastReconcile, Counters counters, ShippingSnapshot shipping, String lastReload,
                           CrossCheckResult crossCheck, WriteThroughReport kubeadmConfig) {

    /**
     * Totals since the daemon started; the same numbers the metrics endpoint exports.
     *
     * @param kubeadmConfigWrites   updates of kubeadm-config by the write-through
     * @param kubeadmConfigProblems write-throughs that were skipped, refused or failed
     */
    public record Counters(long driftsDetected, long applies, long applyFailures, long reloads, long reloadsRejected,
                           long kubeadmConfigWrites, long kubeadmConfigProblems) {
    }
}
