package io.kubeaudit.daemon;

import java.util.concurrent.atomic.AtomicLong;

/** Totals since the daemon started, for the status file and the metrics endpoint. Thread-safe. */
final class DaemonCounters {

    final AtomicLong driftsDetected = new AtomicLong();
    final AtomicLong applies = new AtomicLong();
    final AtomicLong applyFailures = new AtomicLong();
    final AtomicLong reloads = new AtomicLong();
    final AtomicLong reloadsRejected = new AtomicLong();
    final AtomicLong kubeadmConfigWrites = new AtomicLong();
    final AtomicLong kubeadmConfigProblems = new AtomicLong();

    DaemonStatus.Counters snapshot() {
        return new DaemonStatus.Counters(driftsDetected.get(), applies.get(), applyFailures.get(), reloads.get(), reloadsRejected.get(),
                kubeadmConfigWrites.get(), kubeadmConfigProblems.get());
    }
}
