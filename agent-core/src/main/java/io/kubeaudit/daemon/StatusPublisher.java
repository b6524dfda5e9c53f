package io.kubeaudit.daemon;

import io.kubeaudit.config.Units;
import io.kubeaudit.kubeadm.WriteThroughReport;
import io.kubeaudit.log.Log;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;

/**
 * What the daemon shows: {@code daemon-status.json} in the state directory (read by {@code status}) and
 * systemd's STATUS line. The main loop, the setup worker's results and the cross-check record here;
 * {@link #publish} writes it all, from the main loop or the timer thread.
 */
final class StatusPublisher {

    private static final String PHASE = "daemon";

    private final StatusFile file;
    private final String configFile;
    private final Instant startedAt;
    private final DaemonCounters counters;
    private final SystemdNotifier notifier;
    private final Log log;
    private final InstantSource clock;

    // Written by one thread each (named at the setter), read by whichever publishes.
    private volatile DaemonState state = DaemonState.STARTING;
    private volatile ReconcileResult lastReconcile;
    private volatile String lastReload;
    private volatile CrossCheckResult lastCrossCheck;
    /** The last write-through to kubeadm-config; kept across passes that did not run one, dropped when it is turned off. */
    private volatile WriteThroughReport lastKubeadmConfig;

    StatusPublisher(StatusFile file, String configFile, DaemonCounters counters, SystemdNotifier notifier, Log log, InstantSource clock) {
        this.file = file;
        this.configFile = configFile;
        this.startedAt = clock.instant();
        this.counters = counters;
        this.notifier = notifier;
        this.log = log;
        this.clock = clock;
    }

    StatusFile file() {
        return file;
    }

    DaemonState state() {
        return state;
    }

    /** Main loop. */
    void state(DaemonState next) {
        state = next;
    }

    /** Main loop: a reconcile pass ended; {@code kubeadmConfigOff} drops the last write-through shown. */
    void reconciled(ReconcileResult result, boolean kubeadmConfigOff) {
        lastReconcile = result;
        if (result.kubeadmConfig() != null) {
            lastKubeadmConfig = result.kubeadmConfig();
        } else if (kubeadmConfigOff) {
            lastKubeadmConfig = null;
        }
    }

    /** Main loop: the last reload's outcome, as the status file says it. */
    void reloaded(String outcome) {
        lastReload = outcome;
    }

    /** Timer thread. */
    void crossChecked(CrossCheckResult result) {
        lastCrossCheck = result;
    }

    /** Writes the status file and, while running, systemd's STATUS line. */
    synchronized void publish(ShippingSnapshot shipping) {
        DaemonStatus status = new DaemonStatus(ProcessHandle.current().pid(), startedAt, clock.instant(), state.text(), configFile,
                lastReconcile, counters.snapshot(), shipping, lastReload, lastCrossCheck, lastKubeadmConfig);
        try {
            file.write(status);
        } catch (IOException e) {
            log.warn(PHASE, "cannot write the status file", "file", file.path(), "error", e);
        }
        if (state == DaemonState.RUNNING) {
            notifier.status(statusLine(shipping));
        }
    }

    /** The systemd STATUS line: rate and lag first (what an operator checks), then the setup. */
    String statusLine(ShippingSnapshot s) {
        ReconcileResult last = lastReconcile;
        String setupPart = last == null ? "setup: not checked yet"
                : "setup: " + last.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + last.at() + ")";
        return String.format(Locale.ROOT, "shipping %.1f events/s, lag %s, %d acknowledged; %s", s.eventsPerSecond(),
                Units.formatSize(s.lagBytes()), s.eventsAcknowledged(), setupPart);
    }
}
