package io.kubeaudit.cli;

import io.kubeaudit.apply.observe.RunningApiServers;
import io.kubeaudit.config.Units;
import io.kubeaudit.daemon.DaemonStatus;
import io.kubeaudit.daemon.NodeStatus;
import io.kubeaudit.daemon.ReconcileResult;
import io.kubeaudit.daemon.ShippingSnapshot;
import io.kubeaudit.daemon.StatusFile;
import io.kubeaudit.kubeadm.WriteThroughReport;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code status}: the node's audit setup, the daemon's shipping per destination and its last reconcile. */
final class StatusCommand implements Command {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show the audit setup (policy, manifest flags, running server), shipping per destination and the last reconcile;"
                + " exit 3 when something is unhealthy";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        Optional<MetricsScrape> shipper = shipper(context.config().metrics().listen());
        NodeStatus status = NodeStatus.gather(context.config(), RunningApiServers.system(context.config().paths().root()), shipper.isPresent());
        CommandResult.Builder b = CommandResult.builder(name())
                .detail("setup", StatusFile.plain(status.setup())).detail("daemon", StatusFile.plain(status.daemon()));
        setupLines(status.setup(), status.daemon().last() != null).forEach(b::action);
        daemonLines(status.daemon()).forEach(b::action);
        List<String> problems = new ArrayList<>(status.problems());
        if (!status.daemon().running() && shipper.isPresent()) {
            shipperLines(context.config().metrics().listen(), shipper.get(), problems).forEach(b::action);
        }
        problems.forEach(b::warning);
        b.detail("healthy", problems.isEmpty());
        return b.unhealthy(!problems.isEmpty()).build();
    }

    /** What answers on metrics.listen: the daemon's shipper, or a foreground {@code ship}. Empty when nothing does. */
    private static Optional<MetricsScrape> shipper(String listen) {
        if (listen.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MetricsScrape.fetch(TopCommand.endpoint(listen), Duration.ofSeconds(2), Instant.now()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A shipper without the daemon (a foreground ship): its shipping per destination, from its metrics. */
    private static List<String> shipperLines(String listen, MetricsScrape m, List<String> problems) {
        List<String> lines = new ArrayList<>();
        lines.add("shipping (a shipper answers at " + TopCommand.endpoint(listen) + ", without the daemon): " + (long) m.value("events_read_total")
                + " events read, backlog " + Units.humanSize((long) m.value("unread_bytes")));
        for (String d : m.labelValues("events_shipped_total", "destination")) {
            boolean refused = m.value("auth_failing", "destination", d) > 0;
            lines.add("  " + d + ": " + (long) m.value("events_shipped_total", "destination", d) + " acknowledged, lag "
                    + Units.humanSize((long) m.value("lag_bytes", "destination", d)) + ", " + (refused ? "credentials REFUSED" : "credentials ok"));
            if (refused) {
                problems.add("destination " + d + ": the destination refuses the credentials (401/403)");
            }
        }
        return lines;
    }

    private static List<String> setupLines(NodeStatus.Setup s, boolean daemonRan) {
        List<String> lines = new ArrayList<>();
        lines.add("setup: " + (!s.enabled() ? "not managed (setup.enabled: false)"
                : daemonRan ? "managed by the daemon" : "no daemon has run with this state directory (setup.enabled: true)"));
        lines.add("  policy " + s.policyPath() + ": " + (s.policyInstalledSha256() == null ? "not installed"
                : "installed, sha256 " + shortHash(s.policyInstalledSha256())
                + (s.policyInstalledSha256().equals(s.policyConfiguredSha256()) ? " (= audit.policy \"" + s.policy() + "\")"
                : " (audit.policy \"" + s.policy() + "\" differs)")));
        lines.add("  manifest " + s.manifest() + ": " + (s.manifestFound() ? flags(s.manifestAuditFlags()) : "no manifest"));
        if (s.runningApiServers().isEmpty()) {
            lines.add("  running kube-apiserver: none found");
        } else {
            s.runningApiServers().forEach(r -> lines.add("  running kube-apiserver pid " + r.pid() + ": " + flags(r.flags())));
        }
        return lines;
    }

    private static List<String> daemonLines(NodeStatus.Daemon d) {
        List<String> lines = new ArrayList<>();
        DaemonStatus last = d.last();
        if (last == null) {
            lines.add("daemon: never ran with this state directory");
            return lines;
        }
        lines.add("daemon: " + (d.running() ? "running" : "not running") + ", pid " + last.pid() + ", state " + last.state()
                + ", since " + last.startedAt() + ", status of " + last.updatedAt());
        ReconcileResult r = last.lastReconcile();
        if (r != null) {
            lines.add("  last reconcile " + r.at() + " (" + r.trigger().name().toLowerCase(Locale.ROOT) + "): "
                    + r.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " - " + r.detail()
                    + (r.nextAttempt() == null ? "" : "; next attempt " + r.nextAttempt()));
        }
        if (last.crossCheck() != null) {
            lines.add("  cross-check " + last.crossCheck().to() + ": API server audited " + last.crossCheck().serverEvents() + ", read "
                    + last.crossCheck().eventsRead() + " - " + last.crossCheck().detail());
        }
        WriteThroughReport k = last.kubeadmConfig();
        if (k != null) {
            lines.add("  kubeadm-config write-through " + k.at() + ": " + k.outcome() + " - " + k.detail());
        }
        DaemonStatus.Counters c = last.counters();
        lines.add("  drifts " + c.driftsDetected() + ", applies " + c.applies() + " (" + c.applyFailures() + " failed), reloads "
                + c.reloads() + " (" + c.reloadsRejected() + " rejected)"
                + (k == null ? "" : ", kubeadm-config writes " + c.kubeadmConfigWrites() + " (" + c.kubeadmConfigProblems() + " problems)"));
        ShippingSnapshot s = last.shipping();
        lines.add(String.format(Locale.ROOT, "shipping: %.1f events/s, %d acknowledged, lag %s", s.eventsPerSecond(),
                s.eventsAcknowledged(), Units.humanSize(s.lagBytes())));
        for (ShippingSnapshot.Destination dest : s.destinations()) {
            lines.add("  " + dest.name() + " (" + dest.type() + "): last ack " + (dest.lastAck() == null ? "never" : dest.lastAck())
                    + ", lag " + Units.humanSize(dest.lagBytes()) + ", " + dest.errors() + " errors"
                    + (dest.checkpoint().isEmpty() ? "" : ", checkpoint " + dest.checkpoint()));
        }
        return lines;
    }

    private static String flags(Map<String, String> flags) {
        if (flags.isEmpty()) {
            return "no audit flags";
        }
        StringBuilder s = new StringBuilder();
        flags.forEach((k, v) -> s.append(s.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    private static String shortHash(String sha256) {
        return sha256.substring(0, 12);
    }
}
