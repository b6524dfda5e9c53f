import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns the rows bench/run.sh wrote into Markdown: medians with min-max per shipper, the targets of issue 3
 * (throughput at least the baseline's, at most 5 CPU-s per GB, peak RSS at most 160 MB) and of issue 15 (the
 * footprint: steady state, recovery after a backlog, backlog, start-up) marked met or not met, the agent's Native
 * Memory Tracking summary, and the slow/failing/absent destination scenarios.
 *
 * <pre>java Report RESULTS.tsv [why the agent did not run] [clock ticks per second, default 100]</pre>
 */
public final class Report {

    static final double MAX_CPU_S_PER_GB = 5.0;
    static final double MAX_RSS_MB = 160.0;
    /** Issue 10: the agent's wall time at most this many times its destination's floor (a bare client, same run). */
    static final double MAX_WALL_OVER_FLOOR = 1.2;
    static final String WEBHOOK = "webhook";
    /** Issue 15: at a steady 200 lines/s, RSS and CPU (% of one core) at most these. */
    static final double STEADY_MAX_RSS_MB = 48, STEADY_MAX_CPU_PCT = 0.5;
    /** Issue 15: after a backlog, RSS back within this much of the steady RSS, within RECOVERY_WITHIN_S. */
    static final double RECOVERY_MARGIN_MB = 10, RECOVERY_WITHIN_S = 60;
    /** Issue 15: on the 1.23 GB backlog, peak RSS and CPU per GB at most these. */
    static final double BACKLOG_MAX_RSS_MB = 100, BACKLOG_MAX_CPU_S_PER_GB = 2.5;
    /** Issue 15: the first event shipped and a CLI answer within this many seconds of launch. */
    static final double STARTUP_MAX_S = 0.5;
    static final java.util.Set<String> FOOTPRINT = java.util.Set.of("steady", "recovery", "startup");

    record Row(Map<String, String> cells) {
        String s(String key) {
            return Objects.requireNonNullElse(cells.get(key), "");
        }

        double d(String key) {
            String v = s(key);
            return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
        }

        boolean complete() {
            return s("complete").equals("1");
        }

        /** Rows written before destinations were a dimension are webhook rows. */
        String destination() {
            return s("destination").isEmpty() ? WEBHOOK : s("destination");
        }
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        String[] header = lines.get(0).split("\t", -1);
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < f.length; i++) cells.put(header[i], f[i]);
            rows.add(new Row(cells));
        }
        String agentProblem = args.length > 1 ? args[1] : "";
        int hz = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        System.out.print(new Report(rows, hz).render(agentProblem));
    }

    private final List<Row> rows;
    private final int hz;

    Report(List<Row> rows, int hz) {
        this.rows = rows;
        this.hz = hz;
    }

    String render(String agentProblem) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("### Machine\n\n").append(machine()).append("\n\n");
        if (!agentProblem.isEmpty()) {
            out.append("**The agent did not run: ").append(agentProblem).append(".**\n\n");
        }
        List<Row> throughput = select("throughput", null);
        if (!throughput.isEmpty()) {
            Row any = throughput.get(0);
            out.append(String.format(Locale.ROOT, "### Throughput: %,d events, %.2f GB backlog, receiver answering at once%n%n",
                    (long) any.d("events"), any.d("bytes") / 1e9));
            out.append(throughputTable(throughput, "HTTP requests")).append(targets(throughput)).append(backlogTargets(throughput))
                    .append(threads(throughput));
        }
        out.append(steady()).append(recovery()).append(startup());
        for (String destination : destinations()) {
            List<Row> runs = rows.stream().filter(r -> r.destination().equals(destination) && r.s("scenario").equals("throughput")).toList();
            Row any = runs.get(0);
            out.append(String.format(Locale.ROOT, "### Throughput to %s: %,d events, %.2f GB backlog%n%n", destination,
                    (long) any.d("events"), any.d("bytes") / 1e9));
            out.append("The baseline is the destination's floor: its plain client sending the same lines with the agent's settings.\n\n");
            out.append(throughputTable(runs, "requests")).append(floorTarget(runs, destination)).append(threads(runs));
        }
        out.append(scenarios());
        return out.toString();
    }

    private static String throughputTable(List<Row> throughput, String requests) {
        StringBuilder out = new StringBuilder();
        out.append("Medians of the complete runs, min-max in brackets. CPU is user+sys of the shipper process at the moment the"
                + " destination held the last event; peak RSS is its VmHWM then. Other load is the CPU the rest of the machine"
                + " used during the run, in cores (noise).\n\n");
        out.append("| shipper | complete | wall s | events/s | MB/s | CPU s | CPU-s/GB | peak RSS MB | receiver CPU s | ").append(requests)
                .append(" | duplicates | other load (cores) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String shipper : shippers(throughput)) {
            List<Row> runs = of(throughput, shipper);
            List<Row> ok = runs.stream().filter(Row::complete).toList();
            out.append("| ").append(shipper).append(" | ").append(ok.size()).append('/').append(runs.size());
            for (String col : List.of("wall_s", "events_per_s", "mb_per_s", "cpu_s", "cpu_s_per_gb", "peak_rss_mb",
                    "receiver_cpu_s", "requests", "duplicates", "other_cores")) {
                out.append(" | ").append(spread(ok, col));
            }
            out.append(" |\n");
        }
        return out.append('\n').toString();
    }

    /** Destinations other than the webhook that have throughput rows, in the order they ran. */
    private List<String> destinations() {
        return rows.stream().filter(r -> r.s("scenario").equals("throughput")).map(Row::destination)
                .filter(d -> !d.equals(WEBHOOK)).distinct().toList();
    }

    private static String floorTarget(List<Row> runs, String destination) {
        List<Row> agent = of(runs, "agent").stream().filter(Row::complete).toList();
        List<Row> floor = of(runs, "baseline").stream().filter(Row::complete).toList();
        if (agent.isEmpty() || floor.isEmpty()) {
            return "Target: not assessed, no complete " + (agent.isEmpty() ? "agent" : "floor") + " run.\n\n";
        }
        double ratio = median(agent, "wall_s") / median(floor, "wall_s");
        return String.format(Locale.ROOT, "Target (issue 10): the agent's wall time at most %.1fx the %s floor's (medians): %.2fx, %s.%n%n",
                MAX_WALL_OVER_FLOOR, destination, ratio, ratio <= MAX_WALL_OVER_FLOOR ? "met" : "not met");
    }

    private String targets(List<Row> throughput) {
        List<Row> agent = of(throughput, "agent").stream().filter(Row::complete).toList();
        List<Row> baseline = of(throughput, "baseline").stream().filter(Row::complete).toList();
        if (agent.isEmpty()) {
            return "Targets: not assessed, no complete agent run.\n\n";
        }
        double aMb = median(agent, "mb_per_s");
        double bMb = baseline.isEmpty() ? Double.NaN : median(baseline, "mb_per_s");
        double aCpu = median(agent, "cpu_s_per_gb");
        double bCpu = baseline.isEmpty() ? Double.NaN : median(baseline, "cpu_s_per_gb");
        double aRss = max(agent, "peak_rss_mb");
        double bRss = baseline.isEmpty() ? Double.NaN : max(baseline, "peak_rss_mb");
        StringBuilder t = new StringBuilder("Targets (issue 3), agent against the baseline measured in the same run:\n\n");
        t.append("| target | agent | baseline | agent / baseline | met? |\n|---|---|---|---|---|\n");
        t.append(String.format(Locale.ROOT, "| throughput at least the baseline's (median MB/s) | %.1f | %.1f | %.2f | %s |%n",
                aMb, bMb, aMb / bMb, Double.isNaN(bMb) ? "no baseline" : aMb >= bMb ? "met" : "not met"));
        t.append(String.format(Locale.ROOT, "| at most %.0f CPU-s per GB (median) | %.2f | %.2f | %.2f | %s |%n",
                MAX_CPU_S_PER_GB, aCpu, bCpu, aCpu / bCpu, aCpu <= MAX_CPU_S_PER_GB ? "met" : "not met"));
        t.append(String.format(Locale.ROOT, "| peak RSS at most %.0f MB, heap capped at 128 MB (worst run) | %.0f | %.0f | %.2f | %s |%n%n",
                MAX_RSS_MB, aRss, bRss, aRss / bRss, aRss <= MAX_RSS_MB ? "met" : "not met"));
        return t.toString();
    }

    /** CPU seconds per thread of each shipper's median-CPU run: where to look first. */
    private String threads(List<Row> throughput) {
        StringBuilder t = new StringBuilder("Where each shipper's CPU went (run with the median CPU; seconds per thread,"
                + " digits in names folded; `C#_CompilerThre` is the JIT, `VM_Thread` mostly GC):\n\n");
        boolean any = false;
        for (String shipper : shippers(throughput)) {
            List<Row> ok = of(throughput, shipper).stream().filter(Row::complete).filter(r -> !r.s("threads").isEmpty())
                    .sorted(java.util.Comparator.comparingDouble(r -> r.d("cpu_s"))).toList();
            if (ok.isEmpty()) continue;
            any = true;
            Row median = ok.get(ok.size() / 2);
            String list = Arrays.stream(median.s("threads").split(",")).map(p -> p.split(":"))
                    .filter(p -> Long.parseLong(p[1]) * 100 >= hz) // 0.01 s and more
                    .map(p -> String.format(Locale.ROOT, "%s %.2f", p[0], Long.parseLong(p[1]) / (double) hz))
                    .collect(java.util.stream.Collectors.joining(", "));
            t.append("- ").append(shipper).append(String.format(Locale.ROOT, " (%.2f CPU s): ", median.d("cpu_s"))).append(list).append('\n');
        }
        return any ? t.append('\n').toString() : "";
    }

    private String scenarios() {
        List<Row> rest = rows.stream().filter(r -> r.destination().equals(WEBHOOK) && !r.s("scenario").equals("throughput")
                && !FOOTPRINT.contains(r.s("scenario"))).toList();
        if (rest.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("### Slow, failing and absent destination\n\n");
        t.append("idle-small: the smaller file against a receiver answering at once (reference); delay50: every response"
                + " held back 50 ms; fail20: a seeded 20% of requests answered 503 and not counted; outage: the destination"
                + " refuses connections while the log is written, then comes up (wall = time to drain after it came up).\n\n");
        t.append("| scenario | shipper | events | delivered (distinct) | duplicates | wall s | MB/s | CPU s | peak RSS MB | RSS while down MB | requests (failed) | note |\n");
        t.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rest) {
            t.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s%s | %s | %.2f | %.1f | %.2f | %s | %s | %s (%s) | %s |%n",
                    r.s("scenario"), r.s("shipper"), (long) r.d("events"), r.s("distinct"),
                    r.complete() ? " (all)" : " (INCOMPLETE)", r.s("duplicates"), r.d("wall_s"), r.d("mb_per_s"),
                    r.d("cpu_s"), r.s("peak_rss_mb"), r.s("down_peak_rss_mb").isEmpty() ? "-" : r.s("down_peak_rss_mb"),
                    r.s("requests"), r.s("failed_requests"), r.s("note").isEmpty() ? "" : r.s("note")));
        }
        return t.append('\n').toString();
    }

    // ---- issue 15: the footprint ----

    private String backlogTargets(List<Row> throughput) {
        List<Row> agent = of(throughput, "agent").stream().filter(Row::complete).toList();
        if (agent.isEmpty()) {
            return "";
        }
        double rss = max(agent, "peak_rss_mb");
        double cpu = median(agent, "cpu_s_per_gb");
        StringBuilder t = new StringBuilder("Targets (issue 15, backlog), agent beside ").append(peers(throughput)).append(":\n\n");
        t.append("| target | agent | ").append(String.join(" | ", others(throughput))).append(" | met? |\n|---|---|")
                .append("---|".repeat(others(throughput).size())).append("---|\n");
        t.append(String.format(Locale.ROOT, "| peak RSS at most %.0f MB (worst run) | %.0f |", BACKLOG_MAX_RSS_MB, rss));
        others(throughput).forEach(o -> t.append(String.format(Locale.ROOT, " %.0f |", max(complete(throughput, o), "peak_rss_mb"))));
        t.append(rss <= BACKLOG_MAX_RSS_MB ? " met |\n" : " not met |\n");
        t.append(String.format(Locale.ROOT, "| at most %.1f CPU-s per GB (median) | %.2f |", BACKLOG_MAX_CPU_S_PER_GB, cpu));
        others(throughput).forEach(o -> t.append(String.format(Locale.ROOT, " %.2f |", median(complete(throughput, o), "cpu_s_per_gb"))));
        t.append(cpu <= BACKLOG_MAX_CPU_S_PER_GB ? " met |\n" : " not met |\n");
        t.append(String.format(Locale.ROOT, "| MB/s (median; at least today's) | %.1f |", median(agent, "mb_per_s")));
        others(throughput).forEach(o -> t.append(String.format(Locale.ROOT, " %.1f |", median(complete(throughput, o), "mb_per_s"))));
        return t.append(" compare with docs/footprint.md |\n\n").toString();
    }

    private String steady() {
        List<Row> steady = select("steady", null);
        if (steady.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "### Steady state: %s%n%n", steady.get(0).s("note")));
        t.append("Medians of the runs, min-max in brackets. CPU in % of one core; RSS: the median and the highest of one"
                + " sample a second.\n\n| shipper | complete | CPU % | RSS MB | highest RSS MB | requests |\n|---|---|---|---|---|---|\n");
        for (String shipper : shippers(steady)) {
            List<Row> runs = of(steady, shipper);
            List<Row> ok = runs.stream().filter(Row::complete).toList();
            t.append("| ").append(shipper).append(" | ").append(ok.size()).append('/').append(runs.size()).append(" | ")
                    .append(spread(ok, r -> 100 * r.d("cpu_s") / r.d("wall_s"))).append(" | ").append(spread(ok, "rss_mb"))
                    .append(" | ").append(spread(ok, "peak_rss_mb")).append(" | ").append(spread(ok, "requests")).append(" |\n");
        }
        List<Row> agent = complete(steady, "agent");
        if (!agent.isEmpty()) {
            double cpu = median(agent, r -> 100 * r.d("cpu_s") / r.d("wall_s"));
            double rss = median(agent, "rss_mb");
            t.append(String.format(Locale.ROOT, "%nTargets (issue 15, steady): RSS at most %.0f MB: %.1f, %s; CPU at most %.1f%% of a core: %.2f%%, %s.%n%n",
                    STEADY_MAX_RSS_MB, rss, rss <= STEADY_MAX_RSS_MB ? "met" : "not met", STEADY_MAX_CPU_PCT, cpu,
                    cpu <= STEADY_MAX_CPU_PCT ? "met" : "not met"));
            t.append(nmt(agent, "the steady window's end"));
        }
        return t.toString();
    }

    private String recovery() {
        List<Row> recovery = select("recovery", null);
        if (recovery.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("### Recovery after an outage with a backlog\n\n").append(recovery.get(0).s("note")).append(".\n\n");
        t.append("| shipper | run | complete | steady RSS MB | RSS while down MB | peak RSS MB | catch-up s | catch-up CPU s | RSS after MB | back within ")
                .append(String.format(Locale.ROOT, "%.0f MB after s |%n", RECOVERY_MARGIN_MB)).append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : recovery) {
            t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1f | %.2f | %s | %s |%n", r.s("shipper"), r.s("run"),
                    r.complete() ? "yes" : "NO", r.s("rss_mb"), r.s("down_peak_rss_mb"), r.s("peak_rss_mb"), r.d("wall_s"),
                    r.d("cpu_s"), r.s("rss_after_mb"), r.s("settle_s")));
        }
        List<Row> agent = complete(recovery, "agent");
        if (!agent.isEmpty()) {
            boolean met = agent.stream().allMatch(r -> !r.s("settle_s").equals("never") && r.d("settle_s") <= RECOVERY_WITHIN_S);
            t.append(String.format(Locale.ROOT, "%nTarget (issue 15, recovery): RSS back within %.0f MB of the steady RSS within %.0f s of catching up, every run: %s.%n%n",
                    RECOVERY_MARGIN_MB, RECOVERY_WITHIN_S, met ? "met" : "not met"));
            t.append(nmt(agent, "the end of the run"));
        }
        return t.toString();
    }

    private String startup() {
        List<Row> startup = select("startup", null);
        if (startup.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder("### Start-up\n\nWall time from launch to the first event at the receiver (a log"
                + " of 100 lines; each shipper's batch wait applies: syslog-ng's batch-timeout is 1 s), and for the agent to a"
                + " command's answer. Medians, min-max in brackets.\n\n| shipper / command | complete | seconds | CPU s | peak RSS MB |\n|---|---|---|---|---|\n");
        for (String shipper : shippers(startup)) {
            List<Row> runs = of(startup, shipper);
            List<Row> ok = runs.stream().filter(Row::complete).toList();
            t.append("| ").append(shipper).append(" | ").append(ok.size()).append('/').append(runs.size()).append(" | ")
                    .append(spread(ok, "wall_s")).append(" | ").append(spread(ok, "cpu_s")).append(" | ").append(spread(ok, "peak_rss_mb")).append(" |\n");
        }
        t.append(String.format(Locale.ROOT, "%nTarget (issue 15, start-up): the agent's first event and its CLI answers within %.1f s (medians):", STARTUP_MAX_S));
        for (String shipper : shippers(startup)) {
            if (shipper.startsWith("agent")) {
                double s = median(complete(startup, shipper), "wall_s");
                t.append(String.format(Locale.ROOT, " %s %.2f s, %s;", shipper.equals("agent") ? "first event" : shipper.substring(6), s,
                        s <= STARTUP_MAX_S ? "met" : "not met"));
            }
        }
        return t.append("\n\n").toString();
    }

    /** The Native Memory Tracking summary of the agent's run with the median RSS: committed MB per category. */
    private static String nmt(List<Row> agent, String when) {
        List<Row> with = agent.stream().filter(r -> !r.s("nmt").isEmpty()).sorted(java.util.Comparator.comparingDouble(r -> r.d("rss_mb"))).toList();
        if (with.isEmpty()) {
            return "";
        }
        Row r = with.get(with.size() / 2);
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(r.s("nmt")));
        } catch (IOException e) {
            return "(Native Memory Tracking summary unreadable: " + e + ")\n\n";
        }
        java.util.regex.Pattern total = java.util.regex.Pattern.compile("^Total: reserved=(\\d+)KB, committed=(\\d+)KB");
        java.util.regex.Pattern category = java.util.regex.Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "The agent's Native Memory Tracking summary at %s (run %s, RSS %s MB; committed"
                + " is what the JVM asked the OS for, RSS counts only the pages touched, plus the mapped jar and libraries):%n%n| category | committed MB |%n|---|---|%n", when, r.s("run"), r.s("rss_mb")));
        for (String line : lines) {
            java.util.regex.Matcher m = total.matcher(line.trim());
            if (m.find()) {
                t.append(String.format(Locale.ROOT, "| **total** | **%.1f** |%n", Long.parseLong(m.group(2)) / 1024.0));
            }
            m = category.matcher(line.trim());
            if (m.find() && Long.parseLong(m.group(3)) >= 512) {
                t.append(String.format(Locale.ROOT, "| %s | %.1f |%n", m.group(1), Long.parseLong(m.group(3)) / 1024.0));
            }
        }
        return t.append('\n').toString();
    }

    private static String peers(List<Row> rows) {
        return others(rows).isEmpty() ? "nothing else" : String.join(" and ", others(rows)) + " in the same run";
    }

    private static List<String> others(List<Row> rows) {
        return shippers(rows).stream().filter(s -> !s.equals("agent")).toList();
    }

    private static List<Row> complete(List<Row> rows, String shipper) {
        return of(rows, shipper).stream().filter(Row::complete).toList();
    }

    // ---- helpers ----

    private List<Row> select(String scenario, String shipper) {
        return rows.stream().filter(r -> r.destination().equals(WEBHOOK) && r.s("scenario").equals(scenario))
                .filter(r -> shipper == null || r.s("shipper").equals(shipper)).toList();
    }

    private static List<Row> of(List<Row> rows, String shipper) {
        return rows.stream().filter(r -> r.s("shipper").equals(shipper)).toList();
    }

    private static List<String> shippers(List<Row> rows) {
        return rows.stream().map(r -> r.s("shipper")).distinct().toList();
    }

    static double median(List<Row> rows, String col) {
        return median(rows, r -> r.d(col));
    }

    static double median(List<Row> rows, java.util.function.ToDoubleFunction<Row> value) {
        double[] v = values(rows, value);
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(List<Row> rows, String col) {
        double[] v = values(rows, col);
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    private static double[] values(List<Row> rows, String col) {
        return values(rows, r -> r.d(col));
    }

    private static double[] values(List<Row> rows, java.util.function.ToDoubleFunction<Row> value) {
        return rows.stream().mapToDouble(value).filter(x -> !Double.isNaN(x)).sorted().toArray();
    }

    private static final java.util.Set<String> COUNTS = java.util.Set.of("events_per_s", "peak_rss_mb", "requests", "duplicates");

    private static String spread(List<Row> rows, String col) {
        return spread(rows, r -> r.d(col), COUNTS.contains(col));
    }

    private static String spread(List<Row> rows, java.util.function.ToDoubleFunction<Row> value) {
        return spread(rows, value, false);
    }

    private static String spread(List<Row> rows, java.util.function.ToDoubleFunction<Row> value, boolean count) {
        double[] v = values(rows, value);
        if (v.length == 0) return "-";
        Function<Double, String> f = x -> count || Math.abs(x) >= 1000 ? String.format(Locale.ROOT, "%,.0f", x)
                : Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.2f", x);
        String m = f.apply(median(rows, value));
        return v.length == 1 ? m : m + " (" + f.apply(v[0]) + "-" + f.apply(v[v.length - 1]) + ")";
    }

    private static String machine() throws IOException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        String load = Arrays.toString(Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)).replaceAll("[\\[\\]]", "");
        return String.format(Locale.ROOT, "%d vCPU (%s), %.0f GiB RAM, kernel %s, Java %s (%s). Load average at the end: %s.",
                Runtime.getRuntime().availableProcessors(), model, memKb / 1024.0 / 1024.0, kernel,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), load.substring(0, load.lastIndexOf(',')));
    }
}
