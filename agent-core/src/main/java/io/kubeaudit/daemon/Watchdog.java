package io.kubeaudit.daemon;

import io.kubeaudit.log.Log;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * systemd's watchdog, pinged only while the daemon is really working: the main loop turned within the
 * last half minute, and a running setup transaction is within its own time limits (two health waits
 * and a margin). A daemon stuck in either is restarted by systemd (WatchdogSec).
 */
final class Watchdog {

    private static final Duration LOOP_STALL = Duration.ofSeconds(30);
    private static final String PHASE = "daemon";

    private final SystemdNotifier notifier;
    private final Log log;
    private final LongSupplier nanoTime;
    /** Written by the main loop, read by the timer thread. */
    private volatile long heartbeatNanos;
    /** When the running reconcile pass started (on {@code nanoTime}), 0 while idle. Written by the setup worker. */
    private volatile long reconcileStartedNanos;

    /** @param nanoTime a monotonic clock ({@link System#nanoTime} outside tests) */
    Watchdog(SystemdNotifier notifier, Log log, LongSupplier nanoTime) {
        this.notifier = notifier;
        this.log = log;
        this.nanoTime = nanoTime;
        this.heartbeatNanos = nanoTime.getAsLong();
    }

    /** The main loop is about to wait for its next event. */
    void loopTurned() {
        heartbeatNanos = nanoTime.getAsLong();
    }

    void reconcileStarted() {
        reconcileStartedNanos = nanoTime.getAsLong();
    }

    void reconcileEnded() {
        reconcileStartedNanos = 0;
    }

    /** Pings, or says why not. {@code healthTimeout} is apply.healthTimeout of the running config. */
    void check(Duration healthTimeout) {
        long now = nanoTime.getAsLong();
        boolean loopAlive = now - heartbeatNanos < LOOP_STALL.toNanos();
        long started = reconcileStartedNanos;
        Duration transactionLimit = healthTimeout.multipliedBy(2).plusMinutes(2);
        boolean setupAlive = started == 0 || now - started < transactionLimit.toNanos();
        if (loopAlive && setupAlive) {
            notifier.watchdog();
        } else {
            log.error(PHASE, "withholding the watchdog ping: the daemon is stuck", "mainLoopAlive", loopAlive, "setupWithinLimit", setupAlive);
        }
    }
}
