package io.kubeaudit.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.log.Log;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.tail.LogLine;
import io.kubeaudit.time.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One destination's delivery machinery (queue, tracker, settlement, dead-letter file, metrics) around
 * a sink, without the batcher's and the sender pool's threads: batches are made from lines by the test
 * and delivered on the calling thread. Time is a {@link FakeTicker}: retry waits are recorded, not slept.
 */
final class DeliveryHarness implements AutoCloseable {

    static final String DESTINATION = "dest";
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeTicker ticker;
    final Metrics metrics = new Metrics();
    final StopSignal stop = new StopSignal();
    final AckTracker tracker = new AckTracker(DESTINATION, () -> { });
    final EventQueue queue;
    final DestinationMetrics destinationMetrics = new DestinationMetrics(metrics, DESTINATION);
    final InFlightLimiter limiter;
    final Settlement settlement;
    final BatchDelivery.Context context;
    private final Path deadLetterFile;
    private final DeadLetterFile deadLetters;
    private final EventPreparer preparer = new EventPreparer(Annotations.of("cp-1", ""), 3L << 20);
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final AtomicLong nextSequence = new AtomicLong();
    private long nextOffset;

    DeliveryHarness(Path dir, Sink sink, FakeTicker ticker) {
        this.ticker = ticker;
        this.queue = new EventQueue(64L << 20, 64L << 20, 1_000_000, List.of(DESTINATION), ticker);
        this.limiter = new InFlightLimiter(DESTINATION, 4, Executors.newSingleThreadExecutor(), () -> { }, ticker);
        this.deadLetterFile = dir.resolve("dead-letter").resolve(DESTINATION + ".ndjson");
        Log log = new Log(new PrintStream(logBytes, true, StandardCharsets.UTF_8), ticker, false, false);
        this.deadLetters = new DeadLetterFile(deadLetterFile, DESTINATION, ticker, log);
        this.settlement = new Settlement(DESTINATION, tracker, queue, deadLetters, destinationMetrics, limiter, log);
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), new Random(11));
        this.context = new BatchDelivery.Context(DESTINATION, sink, retry, settlement, destinationMetrics, log, new AtomicLong(), stop, ticker);
    }

    DeliveryHarness(Path dir, Sink sink) {
        this(dir, sink, FakeTicker.autoAdvance());
    }

    /** The lines as one batch, the way the intake and the batcher would make it (queued, prepared, held). */
    Batch batch(List<byte[]> lines) throws InterruptedException {
        queue(lines);
        List<Event> taken = new ArrayList<>();
        queue.lane(DESTINATION).drain(taken, Long.MAX_VALUE, e -> true);
        List<PreparedEvent> prepared = new ArrayList<>();
        for (Event e : taken) {
            try {
                prepared.add(preparer.prepare(e));
            } catch (InvalidEventException ex) {
                throw new IllegalArgumentException("a test line cannot be prepared: " + ex.getMessage(), ex);
            }
        }
        return new Batch(context.batchIds().incrementAndGet(), prepared);
    }

    /** The lines put into the destination's lane, the way the intake does. */
    List<Event> queue(List<byte[]> lines) throws InterruptedException {
        List<Event> events = new ArrayList<>();
        for (byte[] line : lines) {
            long sequence = nextSequence.getAndIncrement();
            long end = nextOffset + line.length + 1;
            Event e = new Event(sequence, new LogLine(sequence, LineFeeder.FILE, LineFeeder.PATH, nextOffset, end, line), ticker.millis());
            nextOffset = end;
            e.locateAnnotations();
            queue.put(e, List.of(queue.lane(DESTINATION)));
            events.add(e);
        }
        return events;
    }

    EventPreparer preparer() {
        return preparer;
    }

    /** Delivers on this thread until the batch and everything split from it is settled (or the thread is interrupted). */
    void deliver(Batch b) {
        new BatchDelivery(b, context).run();
    }

    /** Sequences below this one are all acknowledged. */
    long acknowledgedThrough() {
        return tracker.nextUnacknowledged();
    }

    /** The auditIDs in the dead-letter file, in order. */
    List<String> deadLettered() {
        List<String> ids = new ArrayList<>();
        for (JsonNode record : deadLetterRecords()) {
            try {
                ids.add(JSON.readTree(record.get("line").asText()).path("auditID").asText());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ids;
    }

    List<JsonNode> deadLetterRecords() {
        if (!Files.exists(deadLetterFile)) {
            return List.of();
        }
        try {
            List<JsonNode> records = new ArrayList<>();
            for (String line : Files.readAllLines(deadLetterFile)) {
                records.add(JSON.readTree(line));
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logs() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** The metric line's value, e.g. {@code value("events_shipped_total{destination=\"dest\"}")}. */
    double value(String series) {
        for (String line : metrics.render().split("\n")) {
            if (line.startsWith(Metrics.PREFIX + series + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no series " + series + " in\n" + metrics.render());
    }

    @Override
    public void close() throws IOException {
        deadLetters.close();
        limiter.shutdown();
    }
}
