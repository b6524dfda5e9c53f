package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Setting;
import io.kubeaudit.log.Log;
import io.kubeaudit.ship.Shipper;
import io.kubeaudit.time.Ticker;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import sun.misc.Signal;

/**
 * {@code kube-audit-agent ship}: follows audit.logPath and ships every event to ship.destinations in
 * the foreground until SIGTERM or SIGINT, then drains and exits 0. Logs (one line per event, key=value)
 * go to stderr; the result goes to stdout.
 */
final class ShipCommand implements Command {

    @Override
    public String name() {
        return "ship";
    }

    @Override
    public String summary() {
        return "ship the audit log to the configured destinations until SIGTERM (at-least-once)";
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
        AtomicReference<Shipper> running = new AtomicReference<>();
        AtomicInteger signals = onStopSignals(running);
        Shipper shipper;
        try {
            shipper = Shipper.open(context.config(), Log.stderr(), Ticker.system());
        } catch (Shipper.ShipSetupException e) {
            return result.error(e.getMessage()).build();
        }
        running.set(shipper);
        if (signals.get() > 0) {
            // A signal came while starting up: start and stop at once, so the exit is the orderly one.
            shipper.requestStop();
        }
        Shipper.Outcome outcome = shipper.run();
        result.action("stopped after reading " + outcome.eventsRead() + " events; shipped " + outcome.shipped());
        result.detail("eventsRead", outcome.eventsRead()).detail("shipped", outcome.shipped()).detail("drained", outcome.drained());
        if (!outcome.drained()) {
            result.warning("some batches were still in flight at the shutdown deadline (ship.shutdownTimeout); they are sent again after the restart");
        }
        outcome.failure().ifPresent(result::error);
        return result.build();
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
