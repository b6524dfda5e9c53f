package io.kubeaudit.ship;

import io.kubeaudit.log.Log;
import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.CheckpointStore;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persists what the trackers decided, on its own thread so senders never wait for an fsync. Each
 * destination's file gets that destination's acknowledged position; the reader file gets the
 * minimum over all destinations (by sequence: every destination numbers lines the same way within a
 * run), which is where the reader resumes after a restart.
 *
 * <p>Writes coalesce: at most one per {@link #MIN_INTERVAL}, each taking the latest positions, unless
 * a batcher waits for one ({@link #urgent}: its unsaved window is full), then at once. A write costs
 * an fsync and about a millisecond of CPU; one per acknowledged batch came to a second of CPU per GB.
 */
final class CheckpointWriter implements Runnable {

    /** Also write on this beat without a signal, so a failed write is retried. */
    private static final Duration BEAT = Duration.ofSeconds(1);
    /** How long an acknowledgement may wait for its checkpoint when nobody is waiting for the write. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(200);

    private final List<DestinationPipeline> destinations;
    private final CheckpointStore readerStore;
    private final ReadClock readClock;
    private final Log log;
    private final Ticker clock;
    private final Metrics.Counter writes;
    private final Metrics.Counter failures;
    /** Held while writing, so a sender's {@link #signal} never waits for an fsync. */
    private final Object writeLock = new Object();
    // Guarded by writeLock.
    private final Map<String, Checkpoint> saved = new HashMap<>();
    // Written under writeLock, read by metrics.
    private volatile Checkpoint readerSaved;
    private volatile long readerSavedMillis;
    /** The last sequence the saved reader checkpoint covers in this run; -1 before the first save. */
    private long readerSavedSequence = -1;
    // Guarded by this.
    private boolean dirty;
    private boolean urgent;
    private boolean stopped;
    private long lastWriteNanos;

    CheckpointWriter(List<DestinationPipeline> destinations, CheckpointStore readerStore, Optional<Checkpoint> readerStart,
                     ReadClock readClock, Metrics metrics, Log log, Ticker clock) {
        this.destinations = List.copyOf(destinations);
        this.readerStore = readerStore;
        this.readerSaved = readerStart.orElse(null);
        this.readerSavedMillis = clock.millis();
        this.lastWriteNanos = clock.nanoTime() - MIN_INTERVAL.toNanos();
        this.readClock = readClock;
        this.log = log;
        this.clock = clock;
        this.writes = metrics.counter("checkpoint_writes_total", "Checkpoint files written (each one atomic: temp, fsync, rename).");
        this.failures = metrics.counter("checkpoint_write_failures_total", "Checkpoint writes that failed; retried every second.");
        metrics.gauge("checkpoint_age_seconds", "Seconds since the reader checkpoint last moved (0 while nothing waits).", this::ageSeconds);
    }

    /** An acknowledgement moved some prefix. Cheap; called from sender threads. */
    synchronized void signal() {
        dirty = true;
        notifyAll();
    }

    /** A batcher cannot start a batch until the next write: do it now. Cheap; called from batcher threads. */
    synchronized void urgent() {
        urgent = true;
        dirty = true;
        notifyAll();
    }

    @Override
    public void run() {
        try {
            while (awaitWork()) {
                writeOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until something moved and the interval passed (or a write is urgent); false once stopped. */
    private synchronized boolean awaitWork() throws InterruptedException {
        long beat = clock.deadline(BEAT);
        while (!dirty && !stopped && clock.waitUntil(this, beat)) {
            // Until an acknowledgement moved something, or the beat.
        }
        long due = lastWriteNanos + MIN_INTERVAL.toNanos();
        while (!urgent && !stopped && clock.waitUntil(this, due)) {
            // Until the interval passed, unless a batcher waits for this write.
        }
        if (stopped) {
            return false;
        }
        dirty = false;
        urgent = false;
        lastWriteNanos = clock.nanoTime();
        return true;
    }

    /** Stops the thread; the caller then calls {@link #writeOnce} for the final state. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    /** Saves every checkpoint that moved. Safe to call from any thread. */
    void writeOnce() {
        synchronized (writeLock) {
            writeMoved();
        }
    }

    /** The reader checkpoint first: it is where a restart resumes, so it is the one a crash should find freshest. */
    private void writeMoved() {
        Map<DestinationPipeline, AckTracker.Position> positions = new LinkedHashMap<>();
        for (DestinationPipeline d : destinations) {
            d.tracker().position().ifPresent(p -> positions.put(d, p));
        }
        if (positions.size() == destinations.size()) {
            AckTracker.Position slowest = positions.values().stream()
                    .min(Comparator.comparingLong(AckTracker.Position::lastSequence)).orElseThrow();
            readClock.forgetBefore(slowest.lastSequence() + 1);
            Checkpoint reader = slowest.checkpoint();
            if (reader.equals(readerSaved) || save("reader", readerStore, reader)) {
                readerSaved = reader;
                readerSavedSequence = slowest.lastSequence();
                readerSavedMillis = clock.millis();
            }
        }
        positions.forEach((d, p) -> {
            if (save(d.name(), d.spec().checkpointStore(), p.checkpoint())) {
                // A restart resends from the reader checkpoint, so both files bound what this destination gets again.
                d.checkpointSaved(Math.min(p.lastSequence(), readerSavedSequence));
            }
        });
    }

    private boolean save(String what, CheckpointStore store, Checkpoint checkpoint) {
        if (checkpoint.equals(saved.get(what))) {
            return true;
        }
        try {
            if (store.save(checkpoint)) {
                writes.inc();
            }
            saved.put(what, checkpoint);
            return true;
        } catch (IOException | RuntimeException e) {
            failures.inc();
            log.errorLimited("ship/checkpoint", "cannot write the checkpoint", what, "checkpoint", what, "error", e.toString(),
                    "effect", "delivery goes on; after a restart more is sent again");
            return false;
        }
    }

    private double ageSeconds() {
        boolean waiting = false;
        for (DestinationPipeline d : destinations) {
            waiting |= d.lane().waitingEvents() > 0 || d.inFlight() > 0;
        }
        return waiting ? (clock.millis() - readerSavedMillis) / 1000.0 : 0;
    }

    Optional<Checkpoint> readerCheckpoint() {
        return Optional.ofNullable(readerSaved);
    }
}
