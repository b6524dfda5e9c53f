package io.kubeaudit.ship;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The metric registry behind {@code /metrics}, rendered in the Prometheus text format (version 0.0.4).
 * Components register their series once at construction and keep the handle, so the hot path is a
 * {@link LongAdder} increment, never a map lookup.
 *
 * <p>Hand-written rather than the Prometheus Java client (client_java 1.4): measured with
 * bench/ship-choices/MetricsLibraryChoice.java, the client's counters cost no less per line on the reader's hot path
 * and a scrape took 4-6 times longer, for 330 KB more jars; the standard process and JVM series it would add are
 * {@link RuntimeMetrics}.
 */
public final class Metrics {

    static final String PREFIX = "kube_audit_agent_";

    private final Map<String, Family> families;
    private final String prefix;

    public Metrics() {
        this(new LinkedHashMap<>(), PREFIX);
    }

    private Metrics(Map<String, Family> families, String prefix) {
        this.families = families;
        this.prefix = prefix;
    }

    /**
     * The same registry for series whose names every Prometheus client uses ({@code process_*}, {@code jvm_*}): no
     * agent prefix, so the usual dashboards and alerts find them.
     */
    public Metrics standardNames() {
        return new Metrics(families, "");
    }

    /** A monotonically increasing count. {@code labels} are name/value pairs. */
    public Counter counter(String name, String help, String... labels) {
        Counter c = new Counter();
        add(name, help, "counter", labels, c::render);
        return c;
    }

    /** A count kept elsewhere (it only ever grows), read at scrape time. */
    public void counter(String name, String help, DoubleSupplier value, String... labels) {
        add(name, help, "counter", labels, valueWriter(value));
    }

    /** A value read at scrape time. */
    public void gauge(String name, String help, DoubleSupplier value, String... labels) {
        add(name, help, "gauge", labels, valueWriter(value));
    }

    /** A summary without quantiles ({@code _count} and {@code _sum}), both read at scrape time. */
    public void summary(String name, String help, DoubleSupplier count, DoubleSupplier sum, String... labels) {
        add(name, help, "summary", labels, (metric, labelText, out) -> {
            out.append(metric).append("_count").append(labelText).append(' ').append(format(count.getAsDouble())).append('\n');
            out.append(metric).append("_sum").append(labelText).append(' ').append(format(sum.getAsDouble())).append('\n');
        });
    }

    public Histogram histogram(String name, String help, double[] upperBounds, String... labels) {
        Histogram h = new Histogram(upperBounds);
        add(name, help, "histogram", labels, h::render);
        return h;
    }

    /** The whole registry in the Prometheus text format. */
    public String render() {
        StringBuilder out = new StringBuilder(8192);
        synchronized (families) {
            for (Family f : families.values()) {
                out.append("# HELP ").append(f.name).append(' ').append(f.help).append('\n');
                out.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
                for (Series s : f.series) {
                    s.writer.write(f.name, s.labelText, out);
                }
            }
        }
        return out.toString();
    }

    private static SeriesWriter valueWriter(DoubleSupplier value) {
        return (metric, labelText, out) -> out.append(metric).append(labelText).append(' ').append(format(value.getAsDouble())).append('\n');
    }

    private void add(String name, String help, String type, String[] labels, SeriesWriter writer) {
        synchronized (families) {
            family(name, help, type).add(labels, writer);
        }
    }

    private Family family(String name, String help, String type) {
        String full = prefix + name;
        Family f = families.computeIfAbsent(full, n -> new Family(n, help, type));
        if (!f.type.equals(type)) {
            throw new IllegalArgumentException("metric " + full + " is registered as a " + f.type + ", not a " + type);
        }
        return f;
    }

    static String labelText(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs, found " + labels.length + " items");
        }
        if (labels.length == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(labels[i]).append("=\"");
            for (char c : labels[i + 1].toCharArray()) {
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '"' -> b.append("\\\"");
                    case '\n' -> b.append("\\n");
                    default -> b.append(c);
                }
            }
            b.append('"');
        }
        return b.append('}').toString();
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private interface SeriesWriter {
        void write(String metric, String labelText, StringBuilder out);
    }

    private record Series(String labelText, SeriesWriter writer) {
    }

    private static final class Family {
        final String name;
        final String help;
        final String type;
        final List<Series> series = new ArrayList<>();

        Family(String name, String help, String type) {
            this.name = name;
            this.help = help;
            this.type = type;
        }

        void add(String[] labels, SeriesWriter writer) {
            String text = labelText(labels);
            for (Series s : series) {
                if (s.labelText.equals(text)) {
                    throw new IllegalArgumentException("metric " + name + text + " is registered twice");
                }
            }
            series.add(new Series(text, writer));
        }
    }

    /** A counter; {@link #add} is safe from any thread. */
    public static final class Counter {
        private final LongAdder value = new LongAdder();

        public void inc() {
            value.increment();
        }

        public void add(long n) {
            value.add(n);
        }

        public long value() {
            return value.sum();
        }

        private void render(String metric, String labelText, StringBuilder out) {
            out.append(metric).append(labelText).append(' ').append(value.sum()).append('\n');
        }
    }

    /** Cumulative buckets of observed seconds. */
    public static final class Histogram {
        private final double[] upperBounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] upperBounds) {
            for (int i = 1; i < upperBounds.length; i++) {
                if (upperBounds[i] <= upperBounds[i - 1]) {
                    throw new IllegalArgumentException("histogram bounds must increase, found " + upperBounds[i - 1] + " then " + upperBounds[i]);
                }
            }
            this.upperBounds = upperBounds.clone();
            // One more than the bounds: the last slot counts values above every bound (the +Inf bucket only).
            this.counts = new LongAdder[upperBounds.length + 1];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            int slot = 0;
            while (slot < upperBounds.length && value > upperBounds[slot]) {
                slot++;
            }
            counts[slot].increment();
            sum.add(value);
        }

        public long count() {
            long total = 0;
            for (LongAdder c : counts) {
                total += c.sum();
            }
            return total;
        }

        private void render(String metric, String labelText, StringBuilder out) {
            String inner = labelText.isEmpty() ? "" : labelText.substring(1, labelText.length() - 1) + ",";
            long cumulative = 0;
            for (int i = 0; i < upperBounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(metric).append("_bucket{").append(inner).append("le=\"").append(format(upperBounds[i]))
                        .append("\"} ").append(cumulative).append('\n');
            }
            long total = cumulative + counts[upperBounds.length].sum();
            out.append(metric).append("_bucket{").append(inner).append("le=\"+Inf\"} ").append(total).append('\n');
            out.append(metric).append("_sum").append(labelText).append(' ').append(format(sum.sum())).append('\n');
            out.append(metric).append("_count").append(labelText).append(' ').append(total).append('\n');
        }
    }
}
