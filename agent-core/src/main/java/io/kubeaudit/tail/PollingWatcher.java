package io.kubeaudit.tail;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Scans the log directory every poll interval on its own thread, so rotations are seen (and the
 * rotated files held open) also while the reader is blocked handing a line downstream.
 *
 * <p>Polling, not a {@code WatchService}: inotify-based watching misses events on some mounts
 * (overlay, NFS, bind mounts of the host log directory into a container), drops them on overflow
 * under bursts, and says nothing about identity, which needs a stat anyway. A scan every 250 ms is
 * one directory read and a few stats.
 *
 * <p>Stopped with a flag, never an interrupt: an interrupt during a read would close the held
 * descriptor it reads from.
 */
final class PollingWatcher implements AutoCloseable {

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final RotationTracker tracker;
    private final long intervalMillis;
    private final Object lock = new Object();
    private final Thread thread;
    /** Guarded by lock. */
    private boolean stopped;
    private volatile Exception failure;

    private PollingWatcher(RotationTracker tracker, Duration interval, String name) {
        this.tracker = tracker;
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    static PollingWatcher start(RotationTracker tracker, Duration interval, String logFile) {
        PollingWatcher watcher = new PollingWatcher(tracker, interval, "tail-watcher " + logFile);
        watcher.thread.start();
        return watcher;
    }

    /** The error the last scan failed with (cleared by a scan that succeeds); the reader turns it into its own failure. */
    Optional<Exception> failure() {
        return Optional.ofNullable(failure);
    }

    private void loop() {
        while (waitForNextScan()) {
            try {
                tracker.scan();
                failure = null;
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
    }

    private boolean waitForNextScan() {
        long deadline = System.nanoTime() + intervalMillis * 1_000_000;
        synchronized (lock) {
            long remaining;
            while (!stopped && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    // Nobody but close() should stop this thread, and it does so through the flag.
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !stopped;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        try {
            thread.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
