package io.kubeaudit.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --count-by}: matched events counted (and their bytes summed) per distinct value of one or more
 * columns, most frequent first, like {@code aureport}. Memory grows with the distinct values, not the events.
 */
public final class CountOutput implements EventOutput {

    /** How the counts are printed. */
    public enum Format { TABLE, JSON, NDJSON }

    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final List<EventColumn> keys;
    private final Format format;
    private final OutputStream out;
    private final Map<List<String>, long[]> counts = new HashMap<>();

    public CountOutput(List<EventColumn> keys, Format format, OutputStream out) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("count by at least one column");
        }
        this.keys = List.copyOf(keys);
        this.format = format;
        this.out = out;
    }

    @Override
    public void event(MatchedEvent event) {
        List<String> key = new ArrayList<>(keys.size());
        for (EventColumn c : keys) {
            key.add(c.valueOf(event.event()));
        }
        long[] n = counts.computeIfAbsent(key, k -> new long[2]);
        n[0]++;
        n[1] += event.end() - event.start() + 1;
    }

    /** Counts are only complete at the end: nothing to show before. */
    @Override
    public void flush() {
    }

    @Override
    public void finish() throws IOException {
        List<Map.Entry<List<String>, long[]>> rows = new ArrayList<>(counts.entrySet());
        rows.sort(Comparator.<Map.Entry<List<String>, long[]>>comparingLong(e -> -e.getValue()[0])
                .thenComparing(e -> String.join("\u0000", e.getKey())));
        switch (format) {
            case TABLE -> table(rows);
            case JSON, NDJSON -> json(rows);
        }
        out.flush();
    }

    private void table(List<Map.Entry<List<String>, long[]>> rows) {
        List<String> header = new ArrayList<>(List.of("COUNT", "BYTES"));
        keys.forEach(k -> header.add(k.key().toUpperCase(Locale.ROOT).replace('-', ' ')));
        TextTable table = new TextTable(header, 0, 1);
        for (Map.Entry<List<String>, long[]> r : rows) {
            List<String> line = new ArrayList<>(List.of(String.valueOf(r.getValue()[0]), String.valueOf(r.getValue()[1])));
            r.getKey().forEach(v -> line.add(v.isEmpty() ? "\"\"" : v));
            table.row(line);
        }
        PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
        table.print(print);
        print.flush();
    }

    private void json(List<Map.Entry<List<String>, long[]>> rows) throws IOException {
        boolean array = format == Format.JSON;
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (array) {
                g.writeStartArray();
            }
            for (Map.Entry<List<String>, long[]> r : rows) {
                g.writeStartObject();
                g.writeNumberField("count", r.getValue()[0]);
                g.writeNumberField("bytes", r.getValue()[1]);
                for (int i = 0; i < keys.size(); i++) {
                    g.writeStringField(keys.get(i).key(), r.getKey().get(i));
                }
                g.writeEndObject();
                if (!array) {
                    g.writeRaw('\n');
                }
            }
            if (array) {
                g.writeEndArray();
                g.writeRaw('\n');
            }
        }
    }
}
