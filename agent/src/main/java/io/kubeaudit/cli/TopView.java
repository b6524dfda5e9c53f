package io.kubeaudit.cli;

import io.kubeaudit.config.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One screen of {@code top}: a header (what runs, the reader's rate, backlog and memory) and a line per destination
 * (events/s, MB/s, lag in bytes and seconds, batches in flight, retries by cause, credentials, dead letters). Rates
 * are the counters' growth between two scrapes.
 */
final class TopView {

    static final String COLUMNS = String.format(Locale.ROOT, "%-16s %10s %8s %11s %8s %9s %-10s %-30s", "DESTINATION", "EVENTS/S", "MB/S",
            "LAG", "LAG AGE", "IN-FLIGHT", "AUTH", "DEAD LETTERS / RETRIES (cause)");

    private TopView() {
    }

    static String render(String endpoint, MetricsScrape before, MetricsScrape now) {
        double seconds = Math.max(0.001, Duration.between(before.at(), now.at()).toMillis() / 1000.0);
        List<String> lines = new ArrayList<>();
        String version = now.all("build_info").stream().findFirst().map(s -> s.labels().getOrDefault("version", "?")).orElse("?");
        lines.add("kube-audit-agent " + version + " at " + endpoint + ", " + now.at() + " (every " + Units.humanDuration(Duration.ofMillis(
                Math.round(seconds * 1000))) + ")");
        lines.add(String.format(Locale.ROOT, "read %s events/s; backlog on disk %s in %s; memory %s of %s",
                rate(before, now, seconds, "events_read_total"), Units.humanSize((long) zero(now.value("unread_bytes"))),
                files((long) zero(now.value("unread_files"))), Units.humanSize((long) zero(now.value("queue_bytes"))),
                Units.humanSize((long) zero(now.value("queue_budget_bytes")))));
        lines.add("");
        lines.add(COLUMNS);
        for (String d : now.labelValues("events_shipped_total", "destination")) {
            double shippedBytes = delta(before, now, "bytes_shipped_total", "destination", d);
            lines.add(String.format(Locale.ROOT, "%-16s %10s %8.2f %11s %8s %9s %-10s %-30s", d,
                    rate(before, now, seconds, "events_shipped_total", "destination", d), shippedBytes / seconds / 1e6,
                    Units.humanSize((long) zero(now.value("lag_bytes", "destination", d))),
                    String.format(Locale.ROOT, "%.1fs", zero(now.value("lag_seconds", "destination", d))),
                    (long) zero(now.value("in_flight_batches", "destination", d)) + "/" + (long) zero(now.value("in_flight_limit", "destination", d)),
                    zero(now.value("auth_failing", "destination", d)) > 0 ? "REFUSED" : "ok",
                    (long) zero(now.value("events_dead_lettered_total", "destination", d)) + " / " + retries(now, d)));
        }
        return String.join("\n", lines) + "\n";
    }

    private static String retries(MetricsScrape now, String destination) {
        List<String> causes = new ArrayList<>();
        long total = 0;
        for (MetricsScrape.Series s : now.all("retries_total", "destination", destination)) {
            if (s.value() > 0) {
                causes.add(s.labels().get("cause") + " " + (long) s.value());
                total += (long) s.value();
            }
        }
        return total + (causes.isEmpty() ? "" : " (" + String.join(", ", causes) + ")");
    }

    private static String rate(MetricsScrape before, MetricsScrape now, double seconds, String name, String... labels) {
        return String.format(Locale.ROOT, "%.1f", delta(before, now, name, labels) / seconds);
    }

    /** A counter's growth; a counter that went down (the agent restarted) counts from 0. */
    private static double delta(MetricsScrape before, MetricsScrape now, String name, String... labels) {
        double b = zero(before.value(name, labels));
        double n = zero(now.value(name, labels));
        return n >= b ? n - b : n;
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String files(long n) {
        return n == 1 ? "1 file" : n + " files";
    }
}
