package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.ship.Metrics;
import io.kubeaudit.ship.Shipper;
import io.kubeaudit.ship.ShipperStatus;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.time.Duration;
import io.kubeaudit.time.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Shipping through the {@code ship} command's {@link Shipper}, run on its own thread. A reload stops
 * the running shipper (it flushes and checkpoints), then starts one with the new destinations from
 * the checkpoint, so nothing is lost; when the new destinations cannot be opened, the old ones are
 * started again and the reload is rejected. Without destinations the daemon does the setup only.
 * Methods are called from the daemon's main loop and timer thread; {@code this} guards the fields.
 */
final class ShipperPort implements ShippingPort {

    private static final String PHASE = "daemon/ship";

    private final Ticker clock;
    private final Log log;
    private final DaemonCounters counters;
    private final RateMeter rate = new RateMeter();
    private AgentConfig config;
    private boolean started;
    private Running running;
    private volatile String failure;

    /** One shipper and the thread running it. */
    private record Running(Shipper shipper, Thread thread, AgentConfig config) {
    }

    ShipperPort(AgentConfig config, Ticker clock, Log log, DaemonCounters counters) {
        this.config = config;
        this.clock = clock;
        this.log = log;
        this.counters = counters;
    }

    @Override
    public synchronized void start() throws Shipper.ShipSetupException {
        running = launch(config);
        started = true;
    }

    @Override
    public synchronized void reconfigure(AgentConfig next) throws InvalidInputException, InterruptedException {
        if (!started) {
            // A reload during the first setup: shipping starts later, with whatever config is current then.
            config = next;
            return;
        }
        if (running != null) {
            stopRunning(config.ship().shutdownTimeout());
        }
        try {
            running = launch(next);
            config = next;
        } catch (Shipper.ShipSetupException rejected) {
            try {
                running = launch(config);
            } catch (Shipper.ShipSetupException again) {
                failure = "the new destinations cannot be used (" + rejected.getMessage() + ") and the old ones no longer either ("
                        + again.getMessage() + ")";
            }
            throw new InvalidInputException(new SourceLocation("ship.destinations", 0, 0), rejected.getMessage(), rejected);
        }
    }

    /** @return null when the config has no destinations (setup only) */
    private Running launch(AgentConfig c) throws Shipper.ShipSetupException {
        if (c.ship().destinations().isEmpty()) {
            log.warn(PHASE, "no destinations configured: audit events stay on the node (add ship.destinations and reload)");
            return null;
        }
        Shipper shipper = Shipper.open(c, log, clock);
        registerDaemonSeries(shipper.metrics());
        Thread thread = new Thread(() -> {
            try {
                Shipper.Outcome outcome = shipper.run();
                outcome.failure().ifPresent(f -> failure = f);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shipper");
        thread.start();
        return new Running(shipper, thread, c);
    }

    private void registerDaemonSeries(Metrics metrics) {
        metrics.counter("setup_drifts_total", "Times the daemon found the audit setup (manifest flags, mounts or policy) changed by someone else.",
                counters.driftsDetected::get);
        metrics.counter("setup_applies_total", "Setup transactions the daemon ran (initial apply and re-applies after drift).", counters.applies::get);
        metrics.counter("setup_apply_failures_total", "Setup transactions of the daemon that failed and were rolled back.", counters.applyFailures::get);
        metrics.counter("config_reloads_total", "Config reloads (SIGHUP) the daemon applied.", counters.reloads::get);
        metrics.counter("config_reloads_rejected_total", "Config reloads (SIGHUP) rejected because the new config did not validate; the running one stayed.",
                counters.reloadsRejected::get);
        metrics.counter("setup_kubeadm_config_writes_total", "Updates of kube-system/kubeadm-config written by the write-through.",
                counters.kubeadmConfigWrites::get);
        metrics.counter("setup_kubeadm_config_problems_total", "Write-throughs to kube-system/kubeadm-config that were skipped, refused or failed.",
                counters.kubeadmConfigProblems::get);
    }

    private StopReport stopRunning(Duration deadline) throws InterruptedException {
        Running r = running;
        running = null;
        long read = r.shipper().status().eventsRead();
        r.shipper().requestStop();
        // The shipper itself gives in-flight batches shutdownTimeout; the margin covers the final checkpoint write.
        r.thread().join(deadline.plusSeconds(10).toMillis());
        ShipperStatus last = r.shipper().status();
        long acknowledged = last.destinations().stream().mapToLong(ShipperStatus.Destination::eventsAcknowledged).min().orElse(0);
        return new StopReport(acknowledged, Math.max(0, Math.max(read, last.eventsRead()) - acknowledged), !r.thread().isAlive());
    }

    @Override
    public synchronized StopReport stop(Duration deadline) throws InterruptedException {
        if (running == null) {
            return new StopReport(0, 0, true);
        }
        return stopRunning(deadline);
    }

    @Override
    public synchronized ShippingSnapshot snapshot() {
        if (running == null) {
            return ShippingSnapshot.idle();
        }
        ShipperStatus s = running.shipper().status();
        Map<String, String> types = running.config().ship().destinations().stream()
                .collect(Collectors.toMap(DestinationConfig::name, DestinationConfig::type));
        List<ShippingSnapshot.Destination> destinations = new ArrayList<>();
        long acknowledged = Long.MAX_VALUE;
        long lag = 0;
        for (ShipperStatus.Destination d : s.destinations()) {
            destinations.add(new ShippingSnapshot.Destination(d.name(), types.getOrDefault(d.name(), ""), d.eventsAcknowledged(), d.lastAck(),
                    d.lagBytes(), d.errors(), d.problem(), d.checkpoint()));
            acknowledged = Math.min(acknowledged, d.eventsAcknowledged());
            lag = Math.max(lag, d.lagBytes());
        }
        acknowledged = acknowledged == Long.MAX_VALUE ? 0 : acknowledged;
        return new ShippingSnapshot(s.eventsRead(), acknowledged, rate.update(clock.millis(), acknowledged), lag, destinations);
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }
}
