package io.kubeaudit.ship;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.config.ShipConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.PrivateDirectory;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.CheckpointStore;
import io.kubeaudit.tail.LineConsumer;
import io.kubeaudit.tail.TailListener;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole shipping pipeline behind the follower, in the order data flows:
 * {@link LineIntake} → {@link EventQueue} (memory budget) → per destination {@link Batcher} →
 * {@link InFlightLimiter} → {@link BatchDelivery} ({@link Sink}, {@link RetryPolicy}) →
 * {@link AckTracker} → {@link CheckpointWriter}.
 *
 * <p>State under {@code stateDir}: {@code checkpoints/<destination>.checkpoint} (each destination's
 * acknowledged position), with several destinations {@code reader.checkpoint} (the minimum: where
 * reading resumes; with one destination its own file is that), and {@code dead-letter/<destination>.ndjson},
 * {@code dead-letter/invalid.ndjson}.
 *
 * <p>Stopping is staged like Kafka's Sender: stop taking lines, cut the last batches, let in-flight
 * batches finish until shortly before the deadline, then interrupt the rest and cut off their requests
 * (unacknowledged: sent again after the restart), write the final checkpoints; all within the deadline.
 */
final class ShipPipeline {

    private final EventQueue queue;
    private final List<DestinationPipeline> destinations;
    private final LineIntake intake;
    private final CheckpointWriter checkpoints;
    private final Thread checkpointThread;
    private final Optional<Checkpoint> resumeFrom;
    private final Health health;
    private final DeadLetterFile invalidLines;
    private final FollowerReport followerReport;
    private final Path readerCheckpointFile;
    private final Runnable cutRequests;
    private final Ticker ticker;
    private final Log log;

    /**
     * @param ship        with at least one destination ({@link Shipper#open} refuses a config without)
     * @param sinks       one per configured destination, by name
     * @param cutRequests cuts off every request still running (forced shutdown)
     */
    ShipPipeline(Path stateDir, ShipConfig ship, Map<String, Sink> sinks, RetryPolicy retry, Annotations annotations,
                 Duration stallThreshold, Metrics metrics, Log log, Ticker clock, StopSignal stop, Runnable cutRequests) throws IOException {
        this.log = log;
        this.ticker = clock;
        this.cutRequests = cutRequests;
        List<String> names = ship.destinations().stream().map(DestinationConfig::name).toList();
        if (!new HashSet<>(names).equals(sinks.keySet())) {
            throw new IllegalArgumentException("sinks " + sinks.keySet() + " do not match the configured destinations " + names);
        }
        // Private, and checked before anything in them is read or written: dead letters hold audit events.
        PrivateDirectory.ensure(stateDir);
        PrivateDirectory.ensure(stateDir.resolve("checkpoints"));
        PrivateDirectory.ensure(Shipper.deadLetterDirectory(stateDir));
        Consumer<String> warnings = message -> log.warn("ship/checkpoint", "checkpoint file problem", "detail", message);
        Map<String, CheckpointStore> stores = new LinkedHashMap<>();
        Map<String, Optional<Checkpoint>> own = new LinkedHashMap<>();
        for (DestinationConfig d : ship.destinations()) {
            stores.put(d.name(), new CheckpointStore(checkpointFile(stateDir, d.name()), warnings));
            own.put(d.name(), stores.get(d.name()).load());
        }
        // With one destination its checkpoint is where reading resumes: one file, one fsync per advance.
        CheckpointStore readerStore = stores.size() == 1 ? stores.values().iterator().next()
                : new CheckpointStore(readerCheckpointFile(stateDir), warnings);
        this.resumeFrom = resumePoint(stores.size() == 1 ? own.values().iterator().next() : readerStore.load(), own);
        // One batch's worth waiting per destination: the batcher fills the next batch from it while the
        // others are in flight, so two are ready when a slot frees; more only kept events alive across
        // collections (survivor overflow into the old generation raised peak RSS by 50 MB).
        this.queue = new EventQueue(queueBudget(ship.memoryBudget(), sinks), ship.batch().maxBytes(), ship.batch().maxEvents(),
                ship.destinations().stream().map(DestinationConfig::name).toList(), clock);
        ReadClock readClock = new ReadClock();
        List<DestinationPipeline> built = new ArrayList<>();
        List<ReplayFilter> filters = new ArrayList<>();
        CheckpointWriter[] writer = new CheckpointWriter[1];
        for (DestinationConfig d : ship.destinations()) {
            DestinationPipeline.Spec spec = new DestinationPipeline.Spec(d.name(), sinks.get(d.name()), d.maxEventBytes(), ship.batch(),
                    stores.get(d.name()),
                    deadLetterFile(stateDir, d.name(), clock, log));
            built.add(new DestinationPipeline(spec, queue, retry, annotations, metrics, log, clock, stop,
                    () -> writer[0].signal(), () -> writer[0].urgent()));
            filters.add(ReplayFilter.after(own.get(d.name()), resumeFrom));
        }
        this.destinations = List.copyOf(built);
        this.invalidLines = deadLetterFile(stateDir, "invalid", clock, log);
        this.intake = new LineIntake(queue, destinations, filters, invalidLines, readClock, metrics, log, clock);
        this.followerReport = new FollowerReport(metrics, log, invalidLines);
        if (resumeFrom.isEmpty() && ship.start() == ShipConfig.StartPosition.END) {
            List<Path> unusable = new ArrayList<>();
            for (CheckpointStore s : stores.size() == 1 ? stores.values() : concat(stores.values(), readerStore)) {
                s.movedAside().ifPresent(unusable::add);
            }
            if (!unusable.isEmpty()) {
                followerReport.skipsAtStart("the checkpoint was unusable (moved to " + unusable.get(0) + ") and ship.start is end, so"
                        + " reading started at the end of the log; the events before it (and in any rotated backups) that had not"
                        + " been shipped before are lost, how many of them had been is unknown; with ship.start: beginning they"
                        + " would be sent again instead");
            }
        }
        this.readerCheckpointFile = readerStore.file();
        this.checkpoints = new CheckpointWriter(destinations, readerStore, resumeFrom, readClock, metrics, log, clock);
        writer[0] = checkpoints;
        this.checkpointThread = DestinationPipeline.threads("ship-checkpoint").newThread(checkpoints);
        this.health = new Health(stallThreshold, clock, destinations, readClock);
        metrics.gauge("queue_bytes", "Bytes of events held in memory (queued, batching or in flight).", queue::heldBytes);
        metrics.gauge("queue_events", "Events held in memory.", queue::heldEvents);
        metrics.gauge("queue_budget_bytes", "The memory budget (ship.memoryBudget).", queue::budgetBytes);
        metrics.gauge("queue_peak_bytes", "The most bytes held at once since start.", queue::peakBytes);
        metrics.counter("reader_blocked_seconds_total", "Seconds the reader waited for room in the memory budget (ship.memoryBudget full: backpressure).",
                queue::blockedSeconds);
        for (DestinationPipeline d : destinations) {
            String[] label = {"destination", d.name()};
            metrics.gauge("lag_bytes", "Bytes of audit log not yet acknowledged by the destination: read and waiting, or not read yet.",
                    () -> lagBytes(d), label);
            metrics.gauge("lag_seconds", "Seconds the oldest line not yet acknowledged by the destination has been waiting.",
                    () -> readClock.lagSeconds(d.tracker().nextUnacknowledged(), clock.millis()), label);
        }
    }

    /** Audit log on disk not read yet. */
    long unreadBytes() {
        return followerReport.unreadBytes();
    }

    /** ship.memoryBudget less what the destinations' clients hold themselves (Kafka's producer buffer); Shipper checks it leaves a batch. */
    static long queueBudget(long memoryBudget, Map<String, Sink> sinks) {
        return memoryBudget - sinks.values().stream().mapToLong(Sink::reservedBytes).sum();
    }

    /** Bytes of audit log {@code d} has not acknowledged: read and waiting, or not read yet. */
    long lagBytes(DestinationPipeline d) {
        return intake.bytesRead() - d.tracker().acknowledgedBytes() + followerReport.unreadBytes();
    }

    private static List<CheckpointStore> concat(java.util.Collection<CheckpointStore> stores, CheckpointStore reader) {
        List<CheckpointStore> all = new ArrayList<>(stores);
        all.add(reader);
        return all;
    }

    /** A destination's dead-letter file (or {@code invalid}), with a torn record a killed run left cut off now. */
    private static DeadLetterFile deadLetterFile(Path stateDir, String name, InstantSource clock, Log log) throws IOException {
        DeadLetterFile file = new DeadLetterFile(Shipper.deadLetterDirectory(stateDir).resolve(name + ".ndjson"), name, clock, log);
        file.openExisting();
        return file;
    }

    static Path checkpointFile(Path stateDir, String destination) {
        return stateDir.resolve("checkpoints").resolve(destination + ".checkpoint");
    }

    /** Where reading resumes when there are several destinations (the slowest one's position). */
    static Path readerCheckpointFile(Path stateDir) {
        return stateDir.resolve("reader.checkpoint");
    }

    /**
     * The reader checkpoint. Without one (it is written only with several destinations) the
     * destinations' own checkpoints are used when every destination has one and they are in one file:
     * the lowest offset, so no destination misses anything. A destination without a checkpoint may
     * never have had anything acknowledged, and checkpoints in different files cannot be ordered here:
     * then reading starts per ship.start and each destination skips what it already acknowledged.
     */
    private Optional<Checkpoint> resumePoint(Optional<Checkpoint> reader, Map<String, Optional<Checkpoint>> own) {
        if (reader.isPresent()) {
            return reader;
        }
        List<Checkpoint> present = own.values().stream().flatMap(Optional::stream).toList();
        if (present.isEmpty()) {
            return Optional.empty();
        }
        Checkpoint lowest = present.get(0);
        boolean oneFile = present.size() == own.size();
        for (Checkpoint c : present) {
            oneFile &= c.file().sameContentAs(lowest.file());
            if (c.offset() < lowest.offset()) {
                lowest = c;
            }
        }
        if (!oneFile) {
            log.warn("ship/checkpoint", "no reader checkpoint", "destinationsWithCheckpoint", present.size(), "destinations", own.size(),
                    "effect", "reading starts per ship.start; each destination skips what it already acknowledged");
            return Optional.empty();
        }
        return Optional.of(lowest);
    }

    /** Where the follower starts: empty means no checkpoint (start per ship.start). */
    Optional<Checkpoint> resumeFrom() {
        return resumeFrom;
    }

    LineConsumer intake() {
        return intake;
    }

    /** Gets the follower's reports: losses, rotations, backlog. */
    TailListener followerReport() {
        return followerReport;
    }

    void start() {
        for (DestinationPipeline d : destinations) {
            d.start();
        }
        checkpointThread.start();
        log.info("ship", "pipeline started", "destinations", destinations.stream().map(DestinationPipeline::name).toList(),
                "memoryBudget", queue.budgetBytes(), "resumeFrom", resumeFrom.map(c -> c.path() + "@" + c.offset()).orElse("none"));
    }

    /**
     * Stops after the follower stopped: flushes and lets in-flight batches finish until shortly before
     * {@code deadlineNanos} (the ticker's time), then interrupts the rest, cuts off their requests and
     * writes the final checkpoints, all by the deadline.
     *
     * @return true when everything read was delivered or dead-lettered in time
     */
    boolean stop(long deadlineNanos) throws InterruptedException {
        long drainUntil = deadlineNanos - abortReserve(ticker.left(deadlineNanos)).toNanos();
        queue.close();
        boolean drained = true;
        for (DestinationPipeline d : destinations) {
            drained &= d.awaitDrained(drainUntil);
        }
        if (!drained) {
            log.warn("ship", "shutdown deadline reached", "effect", "batches still in flight are not acknowledged and are sent again after the restart");
            for (DestinationPipeline d : destinations) {
                d.abort();
            }
            cutRequests.run();
            for (DestinationPipeline d : destinations) {
                d.awaitDrained(deadlineNanos);
            }
        }
        checkpoints.stop();
        ticker.join(checkpointThread, deadlineNanos);
        checkpoints.writeOnce();
        try {
            for (DestinationPipeline d : destinations) {
                d.close();
            }
            invalidLines.close();
        } catch (IOException e) {
            log.error("ship", "cannot close the dead-letter files", "error", e.getMessage());
        }
        log.info("ship", "pipeline stopped", "drained", drained, "checkpoint",
                checkpoints.readerCheckpoint().map(c -> c.path() + "@" + c.offset()).orElse("none"));
        return drained;
    }

    /**
     * The end of the shutdown time kept for aborting: a tenth of it, at most half a second (interrupted
     * senders and cut-off requests end within milliseconds; the final checkpoint write is one fsync).
     */
    static Duration abortReserve(Duration shutdownTime) {
        Duration tenth = shutdownTime.dividedBy(10);
        return tenth.compareTo(Duration.ofMillis(500)) > 0 ? Duration.ofMillis(500) : tenth;
    }

    long eventsRead() {
        return intake.eventsRead();
    }

    Health health() {
        return health;
    }

    List<DestinationPipeline> destinations() {
        return destinations;
    }

    EventQueue queue() {
        return queue;
    }

    /** The file the reader resumes from: the destination's own with one destination, else reader.checkpoint. */
    Path readerCheckpointFile() {
        return readerCheckpointFile;
    }
}
