package io.kubeaudit.ship;

import io.kubeaudit.build.BuildInfo;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.config.ShipConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.ExclusiveLock;
import io.kubeaudit.node.HostName;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.node.PrivateDirectory;
import io.kubeaudit.ship.http.KeepAlive;
import io.kubeaudit.ship.http.RequestWatchdog;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkSetupException;
import io.kubeaudit.tail.Follower;
import io.kubeaudit.tail.FollowerSettings;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code kube-audit-agent ship}: the follower on the audit log, the pipeline behind it and the
 * metrics endpoint, running until {@link #requestStop()} (SIGTERM) or a failure; then the staged
 * shutdown: stop reading, flush and finish in-flight batches within {@code ship.shutdownTimeout},
 * write the checkpoints.
 */
public final class Shipper {

    /** In the state directory: held by the running shipper (an OS lock, gone with the process). */
    public static final String LOCK_FILE = "ship.lock";

    /** How a run ended: drained = everything read was delivered or dead-lettered before exit. */
    public record Outcome(boolean drained, Optional<String> failure, long eventsRead, Map<String, Long> shipped) {
    }

    private final AgentConfig config;
    private final ShipPipeline pipeline;
    private final Follower follower;
    private final Metrics metrics;
    private final Log log;
    private final RequestWatchdog watchdog;
    private final StopSignal stop;
    private final Ticker ticker;
    private final ExclusiveLock stateLock;
    private final ShippingProgress progress;

    private Shipper(AgentConfig config, ShipPipeline pipeline, Follower follower, Metrics metrics, Log log,
                    RequestWatchdog watchdog, StopSignal stop, Ticker ticker, ExclusiveLock stateLock, ShippingProgress progress) {
        this.stop = stop;
        this.ticker = ticker;
        this.stateLock = stateLock;
        this.progress = progress;
        this.config = config;
        this.pipeline = pipeline;
        this.follower = follower;
        this.metrics = metrics;
        this.log = log;
        this.watchdog = watchdog;
    }

    /**
     * Checks the configuration and opens the state directory; nothing is read or sent yet.
     *
     * @throws ShipSetupException with a message naming the setting or file at fault
     */
    public static Shipper open(AgentConfig config, Log log, Ticker clock) throws ShipSetupException {
        ShipConfig ship = config.ship();
        if (ship.destinations().isEmpty()) {
            throw new ShipSetupException("ship.destinations is empty: configure at least one destination (type webhook or kafka)");
        }
        NodePaths paths = config.paths();
        Path stateDir = paths.resolve(ship.stateDir());
        Metrics metrics = new Metrics();
        RuntimeMetrics.register(metrics, BuildInfo.current());
        KeepAlive.allowIdleConnections(ship.batch().maxInFlight());
        RequestWatchdog watchdog = new RequestWatchdog(clock);
        ExclusiveLock stateLock = null;
        Map<String, Sink> sinks = new LinkedHashMap<>();
        try {
            String nodeName = ship.nodeName().isEmpty() ? hostName(log) : ship.nodeName();
            // Destinations first: they only read, so a config mistake leaves nothing behind.
            for (DestinationConfig d : ship.destinations()) {
                CredentialFileModes.warnIfShared(d, paths, log);
                sinks.put(d.name(), Sinks.create(d, paths, nodeName, ship.clusterName(), ship.memoryBudget(), watchdog, clock));
            }
            long forEvents = ShipPipeline.queueBudget(ship.memoryBudget(), sinks);
            if (forEvents < ship.batch().maxBytes()) {
                throw new SinkSetupException("ship.memoryBudget " + ship.memoryBudget() + " leaves " + forEvents
                        + " bytes for events after the destinations' own buffers; it must leave at least ship.batch.maxBytes ("
                        + ship.batch().maxBytes() + ")");
            }
            stateLock = lockStateDirectory(stateDir);
            RetryPolicy retry = new RetryPolicy(ship.retry().initialBackoff(), ship.retry().maxBackoff(), new Random());
            StopSignal stop = new StopSignal();
            ShipPipeline pipeline = new ShipPipeline(stateDir, ship, sinks, retry,
                    Annotations.of(nodeName, ship.clusterName()), config.metrics().stallThreshold(), metrics, log, clock, stop,
                    watchdog::cutAll);
            FollowerSettings settings = FollowerSettings.defaults(paths.resolve(config.audit().logPath()), ship.start());
            Follower follower = new Follower(settings, pipeline.resumeFrom(), pipeline.intake(), pipeline.followerReport(), clock);
            return new Shipper(config, pipeline, follower, metrics, log, watchdog, stop, clock, stateLock, new ShippingProgress(log, clock));
        } catch (SinkSetupException e) {
            ShipSetupException failure = new ShipSetupException(e.getMessage(), e);
            abandon(watchdog, sinks, stateLock, failure);
            throw failure;
        } catch (IOException e) {
            ShipSetupException failure = new ShipSetupException("cannot open the state directory " + stateDir + ": " + e.getMessage(), e);
            abandon(watchdog, sinks, stateLock, failure);
            throw failure;
        } catch (ShipSetupException | RuntimeException e) {
            abandon(watchdog, sinks, stateLock, e);
            throw e;
        }
    }

    /**
     * One shipper per state directory: two would send every event twice and write the same
     * checkpoints, whatever their metrics settings. Held until {@link #run()} returns, or the process exits.
     */
    private static ExclusiveLock lockStateDirectory(Path stateDir) throws ShipSetupException {
        try {
            PrivateDirectory.ensure(stateDir);
            return ExclusiveLock.acquire(stateDir.resolve(LOCK_FILE), "ship");
        } catch (ExclusiveLock.HeldException e) {
            throw new ShipSetupException("another kube-audit-agent is shipping from the state directory " + stateDir + " ("
                    + e.getMessage() + "); a second one would send every event again and overwrite its checkpoints: stop that one,"
                    + " or give this one its own ship.stateDir", e);
        } catch (IOException e) {
            throw new ShipSetupException("cannot open the state directory " + stateDir + ": " + e.getMessage(), e);
        }
    }

    /** A start that failed half-way: stops the request timer, closes the destinations' clients, gives the state directory back. */
    private static void abandon(RequestWatchdog watchdog, Map<String, Sink> sinks, ExclusiveLock stateLock, Exception failure) {
        watchdog.close();
        sinks.values().forEach(Sink::close);
        if (stateLock == null) {
            return;
        }
        try {
            stateLock.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Runs until {@link #requestStop()} or a failure, then shuts down in stages. */
    public Outcome run() throws InterruptedException {
        pipeline.start();
        MetricsServer server = null;
        String listen = config.metrics().listen();
        if (!listen.isEmpty()) {
            try {
                server = MetricsServer.start(listen, metrics, () -> pipeline.health().problems());
                log.info("ship", "metrics endpoint listening", "address", listen, "port", server.port());
            } catch (IOException e) {
                fail("metrics endpoint: " + e.getMessage());
            }
        }
        Thread reader = new Thread(this::follow, "ship-follower");
        reader.start();
        ScheduledExecutorService progressTimer = Executors.newSingleThreadScheduledExecutor(DestinationPipeline.threads("ship-progress"));
        progressTimer.scheduleAtFixedRate(this::reportProgress, 1, 1, TimeUnit.SECONDS);
        stop.await();
        progressTimer.shutdownNow();
        long deadline = ticker.deadline(config.ship().shutdownTimeout());
        log.info("ship", "stopping", "reason", stop.failure().orElse("signal"),
                "shutdownTimeout", config.ship().shutdownTimeout().toMillis() + "ms");
        follower.close();
        ticker.join(reader, deadline);
        boolean drained = pipeline.stop(deadline);
        if (server != null) {
            server.close();
        }
        watchdog.close();
        try {
            stateLock.close();
        } catch (IOException e) {
            log.warn("ship", "cannot release the state directory's lock", "error", e.getMessage(),
                    "effect", "none: the kernel drops it when this process exits");
        }
        Map<String, Long> shipped = new LinkedHashMap<>();
        for (DestinationPipeline d : pipeline.destinations()) {
            shipped.put(d.name(), d.metrics().eventsShipped.value());
        }
        return new Outcome(drained, stop.failure(), pipeline.eventsRead(), shipped);
    }

    private void reportProgress() {
        try {
            progress.observe(status());
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: say so once, shipping itself goes on.
            log.error("ship/progress", "progress reporting failed; no more progress lines until the next start", "error", String.valueOf(e));
            throw e;
        }
    }

    /** Per destination: acknowledged events, last acknowledgement, lag, errors, checkpoint (for the daemon's status). */
    public ShipperStatus status() {
        return ShipperStatus.of(pipeline);
    }

    /** The registry the metrics endpoint serves; the daemon adds its own series to it. */
    public Metrics metrics() {
        return metrics;
    }

    /** Asks {@link #run()} to stop; safe from a signal handler (returns at once). */
    public void requestStop() {
        stop.stop();
    }

    private void follow() {
        try {
            follower.run();
        } catch (Exception | Error e) {
            fail("reading " + config.audit().logPath() + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void fail(String why) {
        if (stop.fail(why)) {
            log.error("ship", "shipping failed", "reason", why,
                    "effect", "stopping; what was acknowledged is checkpointed, the rest is read again after a restart");
        }
    }

    /** Where the dead-letter files of a state directory are ({@code <stateDir>/dead-letter}). */
    public static Path deadLetterDirectory(Path stateDir) {
        return stateDir.resolve("dead-letter");
    }

    /** What events are annotated as observed on when ship.nodeName is empty: the host name, or "unknown", said loudly. */
    private static String hostName(Log log) {
        try {
            return HostName.read();
        } catch (IOException e) {
            log.warn("ship", "cannot tell the host name; events are annotated kube-audit-agent/node=unknown: set ship.nodeName",
                    "error", e);
            return "unknown";
        }
    }

    /** The shipper cannot start: a setting or file is wrong. */
    public static final class ShipSetupException extends Exception {
        ShipSetupException(String message) {
            super(message);
        }

        ShipSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
