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
 * (throughput at least the baseline's, at most 5 CPU-s per GB, peak RSS at most 160 MB) marked met or not met, and
 * the slow/failing/absent destination scenarios.
 *
 * <pre>java Report RESULTS.tsv [why the agent did not run] [clock ticks per second, default 100]</pre>
 */
public final class Report {

    static final double MAX_CPU_S_PER_GB = 5.0;
    static final double MAX_RSS_MB = 160.0;
    /** Issue 10: the agent's wall time at most this many times its destination's floor (a bare client, same run). */
    static final double MAX_WALL_OVER_FLOOR = 1.2;
    static final String WEBHOOK = "webhook";

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
            out.append(throughputTable(throughput, "HTTP requests")).append(targets(throughput)).append(threads(throughput));
        }
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
        List<Row> rest = rows.stream().filter(r -> r.destination().equals(WEBHOOK) && !r.s("scenario").equals("throughput")).toList();
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
        double[] v = values(rows, col);
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(List<Row> rows, String col) {
        double[] v = values(rows, col);
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    private static double[] values(List<Row> rows, String col) {
        return rows.stream().mapToDouble(r -> r.d(col)).filter(x -> !Double.isNaN(x)).sorted().toArray();
    }

    private static final java.util.Set<String> COUNTS = java.util.Set.of("events_per_s", "peak_rss_mb", "requests", "duplicates");

    private static String spread(List<Row> rows, String col) {
        double[] v = values(rows, col);
        if (v.length == 0) return "-";
        Function<Double, String> f = x -> COUNTS.contains(col) || Math.abs(x) >= 1000 ? String.format(Locale.ROOT, "%,.0f", x)
                : Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%.0f", x) : String.format(Locale.ROOT, "%.2f", x);
        String m = f.apply(median(rows, col));
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
