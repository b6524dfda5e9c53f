package io.kubeaudit.ship;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.config.ShipConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.HostName;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.http.KeepAlive;
import io.kubeaudit.ship.http.RequestWatchdog;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkSetupException;
import io.kubeaudit.tail.Follower;
import io.kubeaudit.tail.FollowerSettings;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@code kube-audit-agent ship}: the follower on the audit log, the pipeline behind it and the
 * metrics endpoint, running until {@link #requestStop()} (SIGTERM) or a failure; then the staged
 * shutdown: stop reading, flush and finish in-flight batches within {@code ship.shutdownTimeout},
 * write the checkpoints.
 */
public final class Shipper {

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

    private Shipper(AgentConfig config, ShipPipeline pipeline, Follower follower, Metrics metrics, Log log,
                    RequestWatchdog watchdog, StopSignal stop, Ticker ticker) {
        this.stop = stop;
        this.ticker = ticker;
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
            throw new ShipSetupException("ship.destinations is empty: configure at least one destination (type webhook)");
        }
        NodePaths paths = config.paths();
        Metrics metrics = new Metrics();
        KeepAlive.allowIdleConnections(ship.batch().maxInFlight());
        RequestWatchdog watchdog = new RequestWatchdog(clock);
        try {
            Map<String, Sink> sinks = new LinkedHashMap<>();
            for (DestinationConfig d : ship.destinations()) {
                sinks.put(d.name(), Sinks.create(d, paths, watchdog, clock));
            }
            String nodeName = ship.nodeName().isEmpty() ? hostName(log) : ship.nodeName();
            RetryPolicy retry = new RetryPolicy(ship.retry().initialBackoff(), ship.retry().maxBackoff(), new Random());
            StopSignal stop = new StopSignal();
            ShipPipeline pipeline = new ShipPipeline(paths.resolve(ship.stateDir()), ship, sinks, retry,
                    Annotations.of(nodeName, ship.clusterName()), config.metrics().stallThreshold(), metrics, log, clock, stop,
                    watchdog::cutAll);
            FollowerSettings settings = FollowerSettings.defaults(paths.resolve(config.audit().logPath()), ship.start());
            Follower follower = new Follower(settings, pipeline.resumeFrom(), pipeline.intake(), pipeline.followerReport(), clock);
            return new Shipper(config, pipeline, follower, metrics, log, watchdog, stop, clock);
        } catch (SinkSetupException e) {
            watchdog.close();
            throw new ShipSetupException(e.getMessage(), e);
        } catch (IOException e) {
            watchdog.close();
            throw new ShipSetupException("cannot open the state directory " + paths.resolve(ship.stateDir()) + ": " + e.getMessage(), e);
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
        stop.await();
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
        Map<String, Long> shipped = new LinkedHashMap<>();
        for (DestinationPipeline d : pipeline.destinations()) {
            shipped.put(d.name(), d.metrics().eventsShipped.value());
        }
        return new Outcome(drained, stop.failure(), pipeline.eventsRead(), shipped);
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
