package io.kubeaudit.ship;

import io.kubeaudit.config.BatchConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.tail.CheckpointStore;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything one destination owns: its lane of the shared queue, its batcher thread, its in-flight
 * limiter and sender threads, its acknowledgement tracker and checkpoint file, its dead-letter file and
 * metrics. Destinations share only the reader, the memory budget and the reader checkpoint (the
 * minimum over them), so adding a second destination is adding a second one of these.
 */
final class DestinationPipeline {

    /** Static facts about one destination. */
    record Spec(String name, Sink sink, long maxEventBytes, BatchConfig batch, CheckpointStore checkpointStore,
                DeadLetterFile deadLetters) {
    }

    private final Spec spec;
    private final AckTracker tracker;
    private final EventQueue.Lane lane;
    private final InFlightLimiter limiter;
    private final Settlement settlement;
    private final DestinationMetrics metrics;
    private final Batcher batcher;
    private final Thread batcherThread;
    private final AtomicLong lastAdvanceMillis;
    private final Ticker ticker;

    /**
     * @param onAdvance   the acknowledged prefix grew (a checkpoint write is due)
     * @param saveNow     the unsaved window is full: the batcher waits for a checkpoint write
     */
    DestinationPipeline(Spec spec, EventQueue queue, RetryPolicy retry, Annotations annotations,
                        Metrics registry, Log log, Ticker clock, StopSignal stop, Runnable onAdvance, Runnable saveNow) {
        this.spec = spec;
        this.ticker = clock;
        this.lastAdvanceMillis = new AtomicLong(clock.millis());
        this.tracker = new AckTracker(spec.name(), () -> {
            lastAdvanceMillis.set(clock.millis());
            onAdvance.run();
        });
        this.lane = queue.lane(spec.name());
        this.metrics = new DestinationMetrics(registry, spec.name());
        ExecutorService senders = Executors.newFixedThreadPool(spec.batch().maxInFlight(), threads("ship-send-" + spec.name()));
        this.limiter = new InFlightLimiter(spec.name(), spec.batch().maxInFlight(), senders, saveNow, clock);
        this.settlement = new Settlement(spec.name(), tracker, queue, spec.deadLetters(), metrics, limiter, log);
        BatchDelivery.Context context = new BatchDelivery.Context(spec.name(), spec.sink(), retry, settlement, metrics, log,
                new AtomicLong(), stop, clock);
        this.batcher = new Batcher(lane, spec.batch(), new EventPreparer(annotations, spec.maxEventBytes()), limiter,
                batch -> new BatchDelivery(batch, context), context);
        this.batcherThread = threads("ship-batch-" + spec.name()).newThread(batcher);
        String[] d = {"destination", spec.name()};
        registry.gauge("in_flight_batches", "Batches being sent or waiting for a retry.", limiter::runningCount, d);
        registry.gauge("in_flight_limit", "The destination's maxInFlight.", limiter::maxInFlight, d);
        registry.gauge("lane_bytes", "Bytes of events read for this destination and not yet in a batch.", lane::waitingBytes, d);
        registry.gauge("unsaved_batches", "Acknowledged batches not yet covered by a checkpoint on disk (at most maxInFlight).",
                limiter::unsavedCount, d);
        registry.gauge("acknowledged_ahead_ranges", "Acknowledged ranges waiting for an earlier batch (out-of-order acks).",
                tracker::rangesAhead, d);
    }

    void start() {
        batcherThread.start();
    }

    String name() {
        return spec.name();
    }

    Spec spec() {
        return spec;
    }

    AckTracker tracker() {
        return tracker;
    }

    EventQueue.Lane lane() {
        return lane;
    }

    Settlement settlement() {
        return settlement;
    }

    DestinationMetrics metrics() {
        return metrics;
    }

    long lastAdvanceMillis() {
        return lastAdvanceMillis.get();
    }

    /** After the queue closed: waits (until the ticker's {@code deadlineNanos}) for the last batch to be cut and every batch to finish. */
    boolean awaitDrained(long deadlineNanos) throws InterruptedException {
        return ticker.join(batcherThread, deadlineNanos) && limiter.awaitIdle(deadlineNanos);
    }

    /**
     * The drain deadline passed: interrupts the batcher and the senders (whose requests the caller cuts
     * off); those batches stay unacknowledged and are sent again after the restart.
     */
    void abort() {
        batcherThread.interrupt();
        limiter.abort();
    }

    void close() throws IOException {
        limiter.shutdown();
        spec.sink().close();
        spec.deadLetters().close();
    }

    int inFlight() {
        return limiter.runningCount();
    }

    /** Checkpoints through {@code sequence} are on disk: acknowledged batches up to there no longer count as unsaved. */
    void checkpointSaved(long sequence) {
        limiter.saved(sequence);
    }

    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
