package io.kubeaudit.ship;

import io.kubeaudit.time.Ticker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;

/**
 * Runs up to {@code maxInFlight} deliveries of one destination at once, shaped like OkHttp's
 * Dispatcher: batches wait in {@code readyBatches}, run in {@code runningBatches}, and
 * {@link #promoteAndExecute} moves them under the lock and starts them outside it. Unlike the
 * Dispatcher, {@link #awaitCapacity} blocks the batcher while the destination is busy, so the
 * next batch is cut as full as possible and the memory budget, not a queue here, absorbs the wait.
 *
 * <p>It also bounds what a crash can make the agent send twice: a batch stays counted in
 * {@code unsavedBatches} after its acknowledgement until a checkpoint covering it is on disk, and
 * no new batch starts while {@code maxInFlight} of those wait. So at most {@code 2 * maxInFlight - 1}
 * batches are ever past the saved checkpoint (running, or acknowledged since the last write), and a
 * slow disk, a slow start or a slow earlier batch (the checkpoint cannot pass it) slows sending
 * instead of widening the window of events a kill -9 would resend. Counting running batches into
 * the same limit would make it {@code maxInFlight}, at the price of one fsync in every batch's turn.
 */
final class InFlightLimiter {

    /** One batch's delivery: sending, retrying, acknowledging. */
    interface Delivery extends Runnable {
        Batch batch();
    }

    private final String destination;
    private final int maxInFlight;
    private final ExecutorService executor;
    private final Runnable onWindowFull;
    private final Ticker ticker;
    // Guarded by this.
    private final Deque<Delivery> readyBatches = new ArrayDeque<>();
    private final Deque<Delivery> runningBatches = new ArrayDeque<>();
    /** Last sequences of acknowledged batches not yet covered by a saved checkpoint, ascending. */
    private final TreeSet<Long> unsavedBatches = new TreeSet<>();

    InFlightLimiter(String destination, int maxInFlight, ExecutorService executor, Runnable onWindowFull, Ticker ticker) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, found " + maxInFlight);
        }
        this.onWindowFull = onWindowFull;
        this.destination = destination;
        this.maxInFlight = maxInFlight;
        this.executor = executor;
        this.ticker = ticker;
    }

    /**
     * Blocks until a new batch would start at once and the unsaved window has room. When the window is
     * what blocks, {@code onWindowFull} asks for a checkpoint write now (called outside the lock).
     */
    void awaitCapacity() throws InterruptedException {
        while (true) {
            synchronized (this) {
                if (hasCapacity()) {
                    return;
                }
                if (unsavedBatches.size() < maxInFlight) {
                    wait();
                    continue;
                }
            }
            onWindowFull.run();
            synchronized (this) {
                if (!hasCapacity()) {
                    wait();
                }
            }
        }
    }

    private boolean hasCapacity() {
        return readyBatches.isEmpty() && runningBatches.size() < maxInFlight && unsavedBatches.size() < maxInFlight;
    }

    /** A batch ending at {@code lastSequence} was acknowledged (delivered or dead-lettered). */
    synchronized void acknowledged(long lastSequence) {
        unsavedBatches.add(lastSequence);
    }

    /** A checkpoint covering everything through {@code sequence} is on disk. */
    synchronized void saved(long sequence) {
        if (unsavedBatches.headSet(sequence, true).isEmpty()) {
            return;
        }
        unsavedBatches.headSet(sequence, true).clear();
        notifyAll();
    }

    synchronized int unsavedCount() {
        return unsavedBatches.size();
    }

    void enqueue(Delivery delivery) {
        synchronized (this) {
            readyBatches.addLast(delivery);
        }
        promoteAndExecute();
    }

    private void promoteAndExecute() {
        if (Thread.holdsLock(this)) {
            throw new IllegalStateException("promoteAndExecute must not run under the limiter's lock");
        }
        List<Delivery> starting = new ArrayList<>();
        synchronized (this) {
            while (!readyBatches.isEmpty() && runningBatches.size() < maxInFlight) {
                Delivery d = readyBatches.pollFirst();
                runningBatches.addLast(d);
                starting.add(d);
            }
        }
        for (Delivery d : starting) {
            executor.execute(() -> {
                try {
                    d.run();
                } finally {
                    finished(d);
                }
            });
        }
    }

    private void finished(Delivery d) {
        synchronized (this) {
            if (!runningBatches.remove(d)) {
                throw new IllegalStateException(destination + ": batch " + d.batch().id() + " finished but was not running");
            }
            notifyAll();
        }
        promoteAndExecute();
    }

    synchronized int runningCount() {
        return runningBatches.size();
    }

    /** Waits until nothing is ready or running; false at the deadline (the ticker's time). */
    synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (!readyBatches.isEmpty() || !runningBatches.isEmpty()) {
            if (!ticker.waitUntil(this, deadlineNanos)) {
                return false;
            }
        }
        return true;
    }

    /** Forced stop: interrupts running deliveries; they end ABANDONED, unacknowledged. */
    void abort() {
        synchronized (this) {
            readyBatches.clear();
        }
        executor.shutdownNow();
    }

    void shutdown() {
        executor.shutdown();
    }

    int maxInFlight() {
        return maxInFlight;
    }
}
