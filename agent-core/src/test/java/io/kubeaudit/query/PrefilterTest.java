package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pre-filter may let too much through, never too little: on every corpus event, written the way
 * the API server writes it and re-written the way other tools do (spaces after colons and commas,
 * keys sorted), every line the exact filter matches must be a candidate.
 */
class PrefilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each event of the valid corpus logs, in three spellings. */
    private static List<String> spellings() throws Exception {
        List<String> events = new ArrayList<>();
        for (var file : Corpus.validLogs()) {
            for (String line : Corpus.lines(file)) {
                if (line.startsWith("{\"kind\":\"Event\"") || line.contains("\"auditID\"") && !line.contains("protoPayload")
                        && !line.contains("\"category\"")) {
                    events.add(line);
                }
            }
        }
        List<String> all = new ArrayList<>(events);
        ObjectMapper sorted = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        MinimalPrettyPrinter spaced = new MinimalPrettyPrinter();
        spaced.setSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEntrySpacing(Separators.Spacing.AFTER).withArrayValueSpacing(Separators.Spacing.AFTER));
        for (String e : events) {
            JsonNode tree = JSON.readTree(e);
            all.add(JSON.writer(spaced).writeValueAsString(tree));
            all.add(sorted.writeValueAsString(sorted.treeToValue(tree, Object.class)));
        }
        return all;
    }

    @Test
    void everyMatchIsACandidateWhateverTheSpelling() throws Exception {
        List<String> lines = spellings();
        List<AuditEvent> events = new ArrayList<>();
        for (String l : lines) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            events.add(EventParser.forQueries().parse(b, 0, b.length));
        }
        Random random = new Random(11);
        int checkedMatches = 0;
        for (int round = 0; round < 150; round++) {
            // Filters made of values that occur: a random event's field values, some as globs.
            AuditEvent sample = events.get(random.nextInt(events.size()));
            EventFilter.Builder b = EventFilter.builder();
            for (Field f : Field.values()) {
                List<String> values = f.values(sample).toList();
                if (values.isEmpty() || random.nextInt(4) != 0) {
                    continue;
                }
                String v = values.get(random.nextInt(values.size()));
                if (f == Field.STATUS && random.nextBoolean()) {
                    v = v.charAt(0) + "xx";
                } else if (f == Field.RESOURCE && v.contains("/") && random.nextBoolean()) {
                    v = "*" + v.substring(v.indexOf('/'));
                } else if (f == Field.API_GROUP && v.isEmpty()) {
                    v = "core";
                } else if (List.of(Field.USER, Field.GROUP, Field.NAMESPACE, Field.NAME, Field.USER_AGENT, Field.AUDIT_ID).contains(f)
                        && v.length() > 4 && random.nextBoolean()) {
                    v = v.substring(0, v.length() / 2) + "*";
                }
                b.add(f, v);
            }
            EventFilter filter = b.build();
            Prefilter prefilter = filter.prefilter();
            for (int i = 0; i < lines.size(); i++) {
                if (filter.matches(events.get(i))) {
                    byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
                    assertTrue(prefilter.accepts(line, 0, line.length), "filter from " + sample.auditId() + " on " + lines.get(i));
                    assertTrue(candidates(prefilter, lines.get(i)) == 1, lines.get(i));
                    checkedMatches++;
                }
            }
        }
        assertTrue(checkedMatches > 500, "the random filters matched " + checkedMatches + " lines");
    }

    @Test
    void searchesTheBufferAndLeavesLinesWithoutTheNeedle() throws Exception {
        EventFilter filter = EventFilter.builder().add(Field.VERB, "delete").add(Field.NAMESPACE, "shop").build();
        String text = "{\"verb\":\"delete\",\"ns\":\"other\"}\n{\"verb\":\"get\",\"x\":\"shop\"}\n{\"a\":1}\n"
                + "{\"namespace\":\"shop\",\"verb\":\"delete\"}\n{\"verb\":\"delete\"}{\"shop\"}\n";
        List<String> seen = new ArrayList<>();
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        filter.prefilter().scan(b, 0, b.length, (bytes, start, end) -> seen.add(new String(bytes, start, end - start, StandardCharsets.UTF_8)));
        assertEquals(List.of("{\"namespace\":\"shop\",\"verb\":\"delete\"}", "{\"verb\":\"delete\"}{\"shop\"}"), seen);
        // Any of several values: each line once, in order.
        EventFilter verbs = EventFilter.builder().add(Field.VERB, "delete,get").build();
        seen.clear();
        verbs.prefilter().scan(b, 0, b.length, (bytes, start, end) -> seen.add(new String(bytes, start, end - start, StandardCharsets.UTF_8)));
        assertEquals(4, seen.size(), seen.toString());
        // No needle: every line.
        seen.clear();
        EventFilter.everything().prefilter().scan(b, 0, b.length, (bytes, start, end) -> seen.add(""));
        assertEquals(5, seen.size());
    }

    private static int candidates(Prefilter prefilter, String line) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("{\"padding\":\"before\"}\n".getBytes(StandardCharsets.UTF_8));
        text.writeBytes(line.getBytes(StandardCharsets.UTF_8));
        text.write('\n');
        byte[] b = text.toByteArray();
        int[] n = {0};
        prefilter.scan(b, 0, b.length, (bytes, start, end) -> {
            if (new String(bytes, start, end - start, StandardCharsets.UTF_8).equals(line)) {
                n[0]++;
            }
        });
        return n[0];
    }
}
