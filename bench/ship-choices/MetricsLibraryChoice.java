import io.kubeaudit.ship.Metrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * How the metrics library was chosen: the agent's own registry (LongAdder counters, hand-written text format) against
 * the Prometheus Java client 1.x (prometheus-metrics-core + exposition-textformats), on what the agent does:
 * the reader thread counts every line (events_read_total and bytes_read_total, one inc and one add per line) while
 * sender threads count per batch, and a scrape renders ~60 series. Prints ns per line and ms per scrape.
 *
 *   javac -cp agent-core/target/classes:$PROM_JARS -d /tmp/mlc bench/ship-choices/MetricsLibraryChoice.java
 *   java -cp /tmp/mlc:agent-core/target/classes:$PROM_JARS MetricsLibraryChoice 200000000
 */
public class MetricsLibraryChoice {

    interface LineCounters {
        void line(long bytes);

        String scrape() throws Exception;
    }

    static LineCounters own() {
        Metrics m = new Metrics();
        Metrics.Counter events = m.counter("events_read_total", "Lines read.");
        Metrics.Counter bytes = m.counter("bytes_read_total", "Bytes read.");
        for (int i = 0; i < 58; i++) {
            m.counter("other_" + i + "_total", "Other series.", "destination", "d" + (i % 4));
        }
        return new LineCounters() {
            public void line(long n) {
                events.inc();
                bytes.add(n);
            }

            public String scrape() {
                return m.render();
            }
        };
    }

    static LineCounters client() {
        PrometheusRegistry registry = new PrometheusRegistry();
        CounterDataPoint events = Counter.builder().name("events_read_total").help("Lines read.").withoutExemplars().register(registry);
        CounterDataPoint bytes = Counter.builder().name("bytes_read_total").help("Bytes read.").withoutExemplars().register(registry);
        for (int i = 0; i < 58; i++) {
            Counter.builder().name("other_" + i + "_total").help("Other series.").labelNames("destination").withoutExemplars()
                    .register(registry).labelValues("d" + (i % 4)).inc();
        }
        PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
        return new LineCounters() {
            public void line(long n) {
                events.inc();
                bytes.inc(n);
            }

            public String scrape() throws Exception {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                writer.write(out, registry.scrape());
                return out.toString();
            }
        };
    }

    /** ns per line with {@code threads} threads counting at once. */
    static double perLine(LineCounters c, long lines, int threads) throws Exception {
        List<Thread> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (long i = 0; i < lines / threads; i++) {
                    c.line(1000 + (i & 1023));
                }
            });
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join();
        }
        return (System.nanoTime() - start) / (double) lines;
    }

    static double perScrape(LineCounters c, int scrapes) throws Exception {
        long start = System.nanoTime();
        int chars = 0;
        for (int i = 0; i < scrapes; i++) {
            chars += c.scrape().length();
        }
        if (chars == 0) {
            throw new AssertionError("empty scrape");
        }
        return (System.nanoTime() - start) / 1e6 / scrapes;
    }

    public static void main(String[] args) throws Exception {
        long lines = Long.parseLong(args.length > 0 ? args[0] : "200000000");
        System.out.println("java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        for (int round = 0; round < 3; round++) {
            for (String name : List.of("own", "client_java")) {
                LineCounters c = name.equals("own") ? own() : client();
                double one = perLine(c, lines, 1);
                double two = perLine(c, lines, 2);
                double scrape = perScrape(c, 20000);
                System.out.printf("round %d %-11s 1 thread %.2f ns/line, 2 threads %.2f ns/line, scrape of 60 series %.3f ms%n",
                        round, name, one, two, scrape);
            }
        }
    }
}
