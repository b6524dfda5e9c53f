package io.kubeaudit.simulate;

import io.kubeaudit.query.TextTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A simulation report for people: the input, the policies side by side, then each policy's levels, rules and top volumes. */
public final class SimulationText {

    /** User agents are long; the table keeps this much of each value. */
    private static final int VALUE_CAP = 60;

    private SimulationText() {
    }

    public static void print(SimulationReport report, PrintStream out) {
        SimulationReport.Input in = report.input();
        out.printf(Locale.ROOT, "Recorded: %s events, %s in %d file%s%s%n", count(in.recorded().events()), size(in.recorded().bytes()),
                in.files(), in.files() == 1 ? "" : "s", in.from().isEmpty() ? "" : ", " + in.from() + " to " + in.to()
                        + " (" + span(in.spanSeconds()) + ")");
        out.println("Stages:   " + in.stages().entrySet().stream().map(e -> e.getKey() + " " + count(e.getValue()))
                .collect(Collectors.joining(", ")));
        out.println();
        List<String> header = new ArrayList<>(List.of(""));
        report.policies().forEach(p -> header.add(p.name()));
        int[] numeric = new int[report.policies().size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = i + 1;
        }
        TextTable summary = new TextTable(header, numeric);
        summary.row(row("kept events", report, p -> count(p.kept().events())));
        summary.row(row("kept bytes", report, p -> size(p.kept().bytes())));
        summary.row(row("dropped events", report, p -> count(p.dropped().events())));
        summary.row(row("dropped bytes (as recorded)", report, p -> size(p.dropped().bytes())));
        summary.row(row("per day: events", report, p -> p.perDay() == null ? "-" : count(p.perDay().events())));
        summary.row(row("per day: bytes", report, p -> p.perDay() == null ? "-" : size(p.perDay().bytes())));
        summary.print(out);
        for (SimulationReport.PolicyReport p : report.policies()) {
            out.println();
            out.println("== " + p.name() + " (" + p.file() + ")");
            TextTable levels = new TextTable(List.of("LEVEL", "EVENTS", "BYTES"), 1, 2);
            p.levels().forEach(l -> levels.row(List.of(l.level() + (l.level().equals("None") ? " (dropped)" : ""),
                    count(l.figures().events()), size(l.figures().bytes()))));
            levels.row(List.of("omitted stages (dropped)", count(p.omittedStages().events()), size(p.omittedStages().bytes())));
            levels.print(out);
            out.println();
            TextTable rules = new TextTable(List.of("RULE", "LINE", "LEVEL", "MATCHED", "KEPT", "KEPT BYTES"), 1, 3, 4, 5);
            p.rules().forEach(r -> rules.row(List.of(r.rule(), String.valueOf(r.line()), r.level(), count(r.matched().events()),
                    count(r.kept().events()), size(r.kept().bytes()))));
            rules.row(List.of("no rule", "", "None", count(p.noRule().events()), "0", size(0)));
            rules.print(out);
            for (Map.Entry<String, List<SimulationReport.Ranked>> top : p.top().entrySet()) {
                if (top.getValue().isEmpty()) {
                    continue;
                }
                out.println();
                TextTable ranked = new TextTable(List.of("TOP " + top.getKey().toUpperCase(Locale.ROOT).replace('-', ' ') + "S BY KEPT BYTES",
                        "EVENTS", "BYTES"), 1, 2);
                top.getValue().forEach(r -> ranked.row(List.of(TextTable.cut(r.value().isEmpty() ? "\"\"" : r.value(), VALUE_CAP),
                        count(r.kept().events()), size(r.kept().bytes()))));
                ranked.print(out);
            }
            p.warnings().forEach(w -> out.println("warning: " + w));
        }
        if (report.policies().size() == 2 && !report.changes().isEmpty()) {
            String before = report.policies().get(0).name();
            String after = report.policies().get(1).name();
            out.println();
            out.println("== Changes from " + before + " to " + after + " (largest first)");
            TextTable changes = new TextTable(List.of("VERB", "RESOURCE", before, after, "EVENTS", "BYTES BEFORE", "BYTES AFTER"), 4, 5, 6);
            report.changes().forEach(c -> changes.row(List.of(c.verb(), TextTable.cut(c.resource(), VALUE_CAP), c.from(), c.to(), count(c.events()),
                    size(c.bytesBefore()), size(c.bytesAfter()))));
            changes.print(out);
        }
        out.flush();
    }

    private static List<String> row(String label, SimulationReport report,
                                    java.util.function.Function<SimulationReport.PolicyReport, String> value) {
        List<String> row = new ArrayList<>(List.of(label));
        report.policies().forEach(p -> row.add(value.apply(p)));
        return row;
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Decimal units, as disks and quotas are sold. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String span(double seconds) {
        long s = Math.round(seconds);
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }
}
