package io.kubeaudit.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of the agent's {@code /metrics} (the Prometheus text format it writes), parsed into series: what
 * {@code top} reads, so it shows exactly what Prometheus would.
 */
record MetricsScrape(Instant at, List<Series> series) {

    /** One sample: the metric's name (agent prefix removed), its labels and its value. */
    record Series(String name, Map<String, String> labels, double value) {
    }

    static final String PREFIX = "kube_audit_agent_";

    MetricsScrape {
        series = List.copyOf(series);
    }

    static MetricsScrape fetch(URI endpoint, Duration timeout, Instant at) throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        try {
            if (c.getResponseCode() != 200) {
                throw new IOException(endpoint + " answered HTTP " + c.getResponseCode());
            }
            return parse(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8), at);
        } finally {
            c.disconnect();
        }
    }

    static MetricsScrape parse(String text, Instant at) throws IOException {
        List<Series> out = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            out.add(series(line, lineNumber));
        }
        return new MetricsScrape(at, out);
    }

    private static Series series(String line, int lineNumber) throws IOException {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        if (space < 0) {
            throw new IOException("metrics line " + lineNumber + " has no value: " + line);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf("=\"", i);
                if (eq < 0) {
                    throw new IOException("metrics line " + lineNumber + " has a broken label: " + line);
                }
                String label = line.substring(i, eq);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char ch = line.charAt(j);
                    if (ch == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(ch);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
        } else {
            name = line.substring(0, space);
        }
        double value;
        try {
            value = Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
        } catch (NumberFormatException e) {
            throw new IOException("metrics line " + lineNumber + " has no number: " + line, e);
        }
        return new Series(name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name, labels, value);
    }

    /** The value of {@code name} with exactly these labels among its own, or NaN. */
    double value(String name, String... labels) {
        double sum = Double.NaN;
        for (Series s : series) {
            if (s.name().equals(name) && matches(s, labels)) {
                sum = Double.isNaN(sum) ? s.value() : sum + s.value();
            }
        }
        return sum;
    }

    /** The series of {@code name} whose labels include these pairs. */
    List<Series> all(String name, String... labels) {
        return series.stream().filter(s -> s.name().equals(name) && matches(s, labels)).toList();
    }

    /** The values of {@code label} across the series of {@code name}, in the order the agent lists them. */
    List<String> labelValues(String name, String label) {
        return series.stream().filter(s -> s.name().equals(name)).map(s -> s.labels().get(label)).filter(v -> v != null).distinct().toList();
    }

    private static boolean matches(Series s, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
