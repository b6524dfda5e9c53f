package io.kubeaudit.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.config.BatchConfig;
import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.config.RetryConfig;
import io.kubeaudit.config.ShipConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.http.RequestWatchdog;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.FileId;
import io.kubeaudit.time.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** A real pipeline (real sinks, real files) in a temp state directory, with its log captured. */
final class PipelineHarness implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path stateDir;
    final Metrics metrics = new Metrics();
    final StopSignal stop = new StopSignal();
    final ShipPipeline pipeline;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final RequestWatchdog watchdog;
    private final Ticker clock;
    private boolean stopped;

    private PipelineHarness(Builder b) throws Exception {
        this.stateDir = b.stateDir;
        this.clock = b.clock;
        this.watchdog = new RequestWatchdog(b.clock);
        Log log = new Log(new PrintStream(logBytes, true, StandardCharsets.UTF_8), b.clock, false, false);
        List<DestinationConfig> destinations = new ArrayList<>();
        Map<String, Sink> sinks = new LinkedHashMap<>();
        for (DestinationConfig d : b.destinations) {
            destinations.add(d);
            sinks.put(d.name(), Sinks.create(d, NodePaths.of("/"), b.nodeName, b.clusterName, b.budget, watchdog, b.clock));
        }
        RetryConfig retry = new RetryConfig(b.initialBackoff, b.maxBackoff);
        ShipConfig ship = new ShipConfig(stateDir.toString(), ShipConfig.StartPosition.BEGINNING, b.budget, b.batch, destinations,
                b.nodeName, b.clusterName, retry, Duration.ofSeconds(5));
        try {
            this.pipeline = new ShipPipeline(stateDir, ship, sinks, new RetryPolicy(retry.initialBackoff(), retry.maxBackoff(), new Random(7)),
                    Annotations.of(b.nodeName, b.clusterName), b.stallThreshold, metrics, log, b.clock, stop, watchdog::cutAll);
        } catch (IOException | RuntimeException e) {
            watchdog.close();
            throw e;
        }
        pipeline.start();
    }

    static Builder builder(Path stateDir) {
        return new Builder(stateDir);
    }

    String logs() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** The metric line's value, e.g. {@code value("events_shipped_total{destination=\"a\"}")}. */
    double value(String series) {
        for (String line : metrics.render().split("\n")) {
            if (line.startsWith(Metrics.PREFIX + series + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no series " + series + " in\n" + metrics.render());
    }

    /** The offset the reader checkpoint holds now (read directly: a CheckpointStore would clean up the writer's temp files). */
    Optional<Checkpoint> readerCheckpoint() throws IOException {
        return peek(pipeline.readerCheckpointFile());
    }

    Optional<Checkpoint> destinationCheckpoint(String name) throws IOException {
        return peek(ShipPipeline.checkpointFile(stateDir, name));
    }

    private static Optional<Checkpoint> peek(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode c = JSON.readTree(Files.readAllBytes(file));
        JsonNode id = c.get("file");
        return Optional.of(new Checkpoint(new FileId(id.get("device").asLong(), id.get("inode").asLong(), id.get("fingerprint").asText()),
                c.get("path").asText(), c.get("offset").asLong()));
    }

    boolean stop(Duration timeout) throws InterruptedException {
        return stopBy(clock.deadline(timeout));
    }

    /** Stops by the clock's {@code deadlineNanos}. */
    boolean stopBy(long deadlineNanos) throws InterruptedException {
        stopped = true;
        return pipeline.stop(deadlineNanos);
    }

    @Override
    public void close() throws InterruptedException {
        if (!stopped) {
            stop(Duration.ofSeconds(2));
        }
        watchdog.close();
    }

    /** Waits (bounded) until the reader checkpoint reaches {@code offset}. */
    boolean awaitReaderCheckpoint(long offset, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Checkpoint> c = readerCheckpoint();
            if (c.isPresent() && c.get().offset() >= offset) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    static DestinationConfig webhook(String name, String url) {
        return destination(name, url, false, "", "", "", "", 3L * 1024 * 1024);
    }

    static DestinationConfig destination(String name, String url, boolean gzip, String ca, String cert, String key, String token,
                                         long maxEventBytes) {
        return new DestinationConfig(name, "webhook", url, gzip, ca, cert, key, token, Map.of(), Duration.ofSeconds(2),
                Duration.ofSeconds(10), maxEventBytes);
    }

    static final class Builder {
        private final Path stateDir;
        private final List<DestinationConfig> destinations = new ArrayList<>();
        private long budget = 8L * 1024 * 1024;
        private BatchConfig batch = new BatchConfig(100, 1024 * 1024, Duration.ofMillis(50), 4);
        private Duration initialBackoff = Duration.ofMillis(20);
        private Duration maxBackoff = Duration.ofMillis(400);
        private String nodeName = "cp-1";
        private String clusterName = "prod-eu";
        private Ticker clock = Ticker.system();
        private Duration stallThreshold = Duration.ofSeconds(60);

        private Builder(Path stateDir) {
            this.stateDir = stateDir;
        }

        Builder destination(DestinationConfig d) {
            destinations.add(d);
            return this;
        }

        Builder webhook(String name, String url) {
            return destination(PipelineHarness.webhook(name, url));
        }

        Builder budget(long bytes) {
            budget = bytes;
            return this;
        }

        Builder batch(int maxEvents, long maxBytes, Duration maxWait, int maxInFlight) {
            batch = new BatchConfig(maxEvents, maxBytes, maxWait, maxInFlight);
            return this;
        }

        Builder backoff(Duration initial, Duration max) {
            initialBackoff = initial;
            maxBackoff = max;
            return this;
        }

        Builder names(String node, String cluster) {
            nodeName = node;
            clusterName = cluster;
            return this;
        }

        Builder clock(Ticker c, Duration stall) {
            clock = c;
            stallThreshold = stall;
            return this;
        }

        PipelineHarness start() throws Exception {
            return new PipelineHarness(this);
        }
    }
}
