import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording of a benchmark run (PROFILE=1 bench/run.sh) spent CPU and allocated: execution samples by
 * top frame (self) and by method anywhere on the stack (inclusive, for methods of the given package prefix),
 * allocation samples by class and by allocating method, and GC pause totals.
 *
 * <pre>java JfrTop RECORDING.jfr [package prefix, default io.kubeaudit.] [rows, default 25] [thread name prefix]</pre>
 */
public final class JfrTop {

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String prefix = args.length > 1 ? args[1] : "io.kubeaudit.";
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        String thread = args.length > 3 ? args[3] : "";
        Map<String, Long> self = new HashMap<>(), inclusive = new HashMap<>(), firstOwn = new HashMap<>();
        Map<String, Long> allocClass = new HashMap<>(), allocSite = new HashMap<>();
        long samples = 0, allocTotal = 0, gcCount = 0;
        Duration gcPause = Duration.ZERO;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    if (!e.getThread("sampledThread").getJavaName().startsWith(thread)) continue;
                    RecordedStackTrace st = e.getStackTrace();
                    if (st == null || st.getFrames().isEmpty()) continue;
                    samples++;
                    List<RecordedFrame> frames = st.getFrames();
                    self.merge(name(frames.get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    boolean own = false;
                    for (RecordedFrame f : frames) {
                        String n = name(f);
                        if (n.startsWith(prefix) && seen.add(n)) inclusive.merge(n, 1L, Long::sum);
                        if (!own && n.startsWith(prefix)) {
                            firstOwn.merge(n, 1L, Long::sum);
                            own = true;
                        }
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    long w = e.getLong("weight");
                    allocTotal += w;
                    allocClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                    RecordedStackTrace st = e.getStackTrace();
                    if (st != null) {
                        String site = st.getFrames().stream().map(JfrTop::name).filter(n -> n.startsWith(prefix))
                                .findFirst().orElse(st.getFrames().isEmpty() ? "?" : name(st.getFrames().get(0)));
                        allocSite.merge(site, w, Long::sum);
                    }
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    gcPause = gcPause.plus(e.getDuration("sumOfPauses"));
                }
                default -> { }
            }
        }
        System.out.printf("%s: %d execution samples, %.0f MB allocated (sampled estimate), %d GCs, %d ms total pause%n%n",
                file, samples, allocTotal / 1e6, gcCount, gcPause.toMillis());
        print("CPU by top frame (self)", self, samples, rows, "%");
        print("CPU by first " + prefix + " frame on the stack (who asked for the work)", firstOwn, samples, rows, "%");
        print("CPU inclusive, " + prefix + " methods", inclusive, samples, rows, "%");
        print("allocation by class", allocClass, allocTotal, rows, "%");
        print("allocation by first " + prefix + " frame", allocSite, allocTotal, rows, "%");
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Long> counts, long total, int rows, String unit) {
        System.out.println("## " + title);
        String body = counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(rows)
                .map(en -> String.format("%6.1f%s  %s", 100.0 * en.getValue() / Math.max(1, total), unit, en.getKey()))
                .collect(Collectors.joining("\n"));
        System.out.println(body);
        System.out.println();
    }
}
