package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Setting;
import io.kubeaudit.daemon.HangupSignal;
import io.kubeaudit.log.Log;
import io.kubeaudit.ship.Shipper;
import io.kubeaudit.time.Ticker;
import io.kubeaudit.yaml.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import sun.misc.Signal;

/**
 * {@code kube-audit-agent ship}: follows audit.logPath and ships every event to ship.destinations in
 * the foreground until SIGTERM or SIGINT, then drains and exits 0. SIGHUP reloads the config: a valid one
 * replaces the pipeline once the running one drained (it resumes from the checkpoint), an invalid one is
 * logged and the running pipeline goes on. Logs (one line per event, key=value) go to stderr; the result to stdout.
 */
final class ShipCommand implements Command {

    @Override
    public String name() {
        return "ship";
    }

    @Override
    public String summary() {
        return "ship the audit log to the configured destinations until SIGTERM (at-least-once; SIGHUP reloads the config)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(AgentConfig.AUDIT, AgentConfig.SHIP);
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        CommandResult.Builder result = CommandResult.builder(name());
        Log log = Log.stderr();
        AtomicReference<Shipper> running = new AtomicReference<>();
        AtomicReference<AgentConfig> reloaded = new AtomicReference<>();
        AtomicInteger stops = onStopSignals(running);
        if (HangupSignal.handle(signal -> reload(context, log, running, reloaded))) {
            log.warn("ship", HangupSignal.ignoredAtStartWarning());
        }
        AgentConfig config = context.config();
        long eventsRead = 0;
        Map<String, Long> shipped = new LinkedHashMap<>();
        Shipper.Outcome outcome;
        while (true) {
            Shipper shipper;
            try {
                shipper = Shipper.open(config, log, Ticker.system());
            } catch (Shipper.ShipSetupException e) {
                return result.error(e.getMessage()).build();
            }
            running.set(shipper);
            if (stops.get() > 0 || reloaded.get() != null) {
                // A signal came while starting up: start and stop at once, so the exit (or the reload) is the orderly one.
                shipper.requestStop();
            }
            outcome = shipper.run();
            eventsRead += outcome.eventsRead();
            outcome.shipped().forEach((destination, n) -> shipped.merge(destination, n, Long::sum));
            AgentConfig next = reloaded.getAndSet(null);
            if (next == null || stops.get() > 0 || outcome.failure().isPresent()) {
                break;
            }
            config = next;
            log.info("ship", "config reloaded; shipping resumes from the checkpoints", "config", context.configFile());
        }
        StringBuilder perDestination = new StringBuilder();
        shipped.forEach((destination, n) -> perDestination.append(perDestination.length() == 0 ? "" : ", ").append(n).append(" to ").append(destination));
        result.action("stopped after reading " + eventsRead + " events; shipped " + (shipped.isEmpty() ? "none" : perDestination));
        result.detail("eventsRead", eventsRead).detail("shipped", shipped).detail("drained", outcome.drained());
        if (!outcome.drained()) {
            result.warning("some batches were still in flight at the shutdown deadline (ship.shutdownTimeout); they are sent again after the restart");
        }
        outcome.failure().ifPresent(result::error);
        return result.build();
    }

    /** SIGHUP: a config that loads replaces the running pipeline once it has drained; one that does not changes nothing. */
    private static void reload(CommandContext context, Log log, AtomicReference<Shipper> running, AtomicReference<AgentConfig> reloaded) {
        try {
            reloaded.set(context.reload().reload());
        } catch (InvalidInputException e) {
            log.error("ship", "SIGHUP: config reload rejected; the running config stays", "config", context.configFile(), "error", e.getMessage());
            return;
        }
        log.info("ship", "SIGHUP: reloading the config; the running pipeline drains first", "config", context.configFile());
        Shipper shipper = running.get();
        if (shipper != null) {
            shipper.requestStop();
        }
    }

    /**
     * The first SIGTERM/SIGINT starts the orderly stop so the command can finish and exit 0 (a JVM
     * shutdown hook would end with status 143); a second one exits at once, which is safe too because
     * every checkpoint write is atomic.
     */
    private static AtomicInteger onStopSignals(AtomicReference<Shipper> running) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (received.incrementAndGet() > 1) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                Shipper shipper = running.get();
                if (shipper != null) {
                    shipper.requestStop();
                }
            });
        }
        return received;
    }
}
