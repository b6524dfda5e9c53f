package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogQueryTest {

    @TempDir
    Path dir;

    private final List<Problem> problems = new ArrayList<>();

    /** Events as ndjson, with their line numbers. */
    private static final class Collected implements EventOutput {
        final List<String> lines = new ArrayList<>();
        final List<MatchedEvent> events = new ArrayList<>();
        final List<Long> lineNumbers = new ArrayList<>();

        @Override
        public void event(MatchedEvent e) {
            lines.add(new String(e.bytes(), e.start(), e.end() - e.start(), StandardCharsets.UTF_8));
            events.add(e);
            lineNumbers.add(e.line());
        }

        @Override
        public boolean wantsLineNumbers() {
            return true;
        }

        @Override
        public void flush() {
        }

        @Override
        public void finish() {
        }
    }

    private Collected run(EventFilter filter, List<InputFile> files) throws IOException {
        Collected out = new Collected();
        new LogQuery(filter, EventParser.forQueries(), out, problems::add).run(files);
        return out;
    }

    private static InputFile plain(Path p, boolean live) {
        return new InputFile(p, InputFile.Format.PLAIN, Optional.empty(), live, Optional.empty());
    }

    @Test
    void readsTheLabLogAndItsGzippedBackupsOldestFirst() throws Exception {
        Collected all = run(EventFilter.everything(), InputFiles.of(List.of(Corpus.LAB)));
        assertEquals(Corpus.labLines(), all.lines);
        assertEquals(List.of(), problems);
        // The same files as the configured log: backups first, the live log last.
        Path copy = dir.resolve("audit");
        Files.createDirectories(copy);
        try (var files = Files.list(Corpus.LAB)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(p.getFileName()));
            }
        }
        List<InputFile> configured = InputFiles.ofLog(copy.resolve("audit.log"), "cp1");
        assertEquals(List.of("audit-2026-11-26T12-26-59.812.log.gz", "audit-2026-11-26T12-27-37.236.log.gz",
                "audit-2026-11-26T12-28-12.040.log.gz", "audit-2026-11-26T12-28-41.250.log.gz", "audit.log"),
                configured.stream().map(f -> f.path().getFileName().toString()).toList());
        assertEquals(Optional.of("cp1"), configured.get(0).node());
        assertTrue(configured.get(4).live());
        assertEquals(Corpus.labLines(), run(EventFilter.everything(), configured).lines);
        // Backups rotated before the range starts cannot hold an event of it and are not read.
        List<InputFile> recent = InputFiles.receivedFrom(configured, Optional.of(Instant.parse("2026-11-26T12:28:00Z")));
        assertEquals(3, recent.size());
    }

    @Test
    void lineNumbersAndColumnsOfLinesThatAreNotEventsAcrossManyBuffers() throws Exception {
        List<String> lab = Corpus.labLines();
        List<String> lines = new ArrayList<>(lab);
        // Broken lines spread over a file many read buffers long.
        lines.add(100, "{\"kind\":\"Event\",\"auditID\":");
        lines.add(2500, "not json");
        lines.add(3900, "{\"kind\": 0}");
        Path file = dir.resolve("mixed.log");
        Files.write(file, lines);
        EventFilter deletes = EventFilter.builder().add(Field.VERB, "delete").build();
        Collected out = run(deletes, List.of(plain(file, false)));
        // Only lines that could match are parsed: the broken lines hold no "delete".
        assertEquals(List.of(), problems);
        for (int i = 0; i < out.lines.size(); i++) {
            assertEquals(out.lines.get(i), lines.get((int) (out.lineNumbers.get(i) - 1)), "line " + out.lineNumbers.get(i));
        }
        assertEquals(lab.stream().filter(l -> l.contains("\"verb\":\"delete\"")).count(), out.lines.size());

        Collected everything = run(EventFilter.everything(), List.of(plain(file, false)));
        assertEquals(List.of(new Problem(file.toString(), 101, 27, "invalid JSON: the line ends before the JSON value does"
                        + " (cut off, or pretty-printed over several lines)"),
                new Problem(file.toString(), 2501, 5, "invalid JSON: Unrecognized token 'not': was expecting (JSON String, Number,"
                        + " Array, Object or token 'null', 'true' or 'false')"),
                new Problem(file.toString(), 3901, 10, "not an audit event: kind is a number, not a string")), problems);
        assertEquals(lab, everything.lines);
    }

    @Test
    void theLiveLogsUnfinishedLastLineIsLeftForTheWriterOtherFilesKeepTheirs() throws Exception {
        String a = Corpus.labLines().get(0);
        String b = Corpus.labLines().get(1);
        Path file = dir.resolve("audit.log");
        Files.writeString(file, a + "\n" + b);
        assertEquals(List.of(a), run(EventFilter.everything(), List.of(plain(file, true))).lines);
        assertEquals(List.of(a, b), run(EventFilter.everything(), List.of(plain(file, false))).lines);
        assertEquals(List.of(), problems);
    }

    @Test
    void aLineLongerThanTheLimitIsReportedAndSkipped() throws Exception {
        String event = Corpus.labLines().get(1);
        Path file = dir.resolve("long.log");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write((event + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] huge = new byte[17 * 1024 * 1024];
            Arrays.fill(huge, (byte) 'x');
            out.write(huge);
            out.write('\n');
            out.write((event + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Collected out = run(EventFilter.everything(), List.of(plain(file, false)));
        assertEquals(List.of(event, event), out.lines);
        assertEquals(List.of(1L, 3L), out.lineNumbers);
        assertEquals(List.of(new Problem(file.toString(), 2, 0, "a line of 17825792 bytes, longer than the limit of 16777216: skipped")),
                problems);
    }

    @Test
    void aCutOffGzipGivesWhatItHoldsAndSaysWhereItStops() throws Exception {
        Path backup = Corpus.LAB.resolve("audit-2026-11-26T12-27-37.236.log.gz");
        byte[] gz = Files.readAllBytes(backup);
        Path cut = dir.resolve("audit-2026-11-26T12-27-37.236.log.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        Collected out = run(EventFilter.everything(), InputFiles.of(List.of(cut)));
        List<String> whole = Corpus.lines(backup);
        assertTrue(out.lines.size() > 100 && out.lines.size() < whole.size(), out.lines.size() + " of " + whole.size());
        assertEquals(whole.subList(0, out.lines.size()), out.lines);
        assertEquals(List.of(new Problem(cut.toString(), out.lines.size() + 1, 0, "the compressed file ends early (still being written,"
                + " or cut off): the events after this line are missing")), problems);
        // A file that is not gzip at all, though named so, is read as the plain text it is.
        Path text = dir.resolve("x.log.gz");
        Files.writeString(text, whole.get(0) + "\n");
        assertEquals(List.of(whole.get(0)), run(EventFilter.everything(), InputFiles.of(List.of(text))).lines);
    }

    @Test
    void aBackupCompressedAfterItWasListedIsReadFromItsGzip() throws Exception {
        List<String> lines = Corpus.labLines().subList(0, 5);
        Path plainName = dir.resolve("audit-2026-11-26T12-00-00.000.log");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(plainName.getFileName() + ".gz")))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        InputFile listed = new InputFile(plainName, InputFile.Format.PLAIN, Optional.of(Instant.parse("2026-11-26T12:00:00Z")),
                false, Optional.empty());
        assertEquals(lines, run(EventFilter.everything(), List.of(listed)).lines);
        assertEquals(List.of(), problems);
    }

    @Test
    void aFileThatIsNoLogAtAllShowsItsFirstProblemsThenHowManyMore() throws Exception {
        Path pretty = Corpus.AUDIT_LOGS.resolve("invalid/tutugodfrey-cks-prep-v1.28-jq-pretty-printed-not-jsonl.log");
        Collected out = run(EventFilter.everything(), InputFiles.of(List.of(pretty)));
        assertEquals(List.of(), out.lines);
        int lines = Corpus.lines(pretty).size();
        assertEquals(LogQuery.PROBLEMS_SHOWN_PER_FILE + 1, problems.size());
        assertEquals(new Problem(pretty.toString(), 0, 0, (lines - LogQuery.PROBLEMS_SHOWN_PER_FILE)
                + " more lines that are not audit events (not shown)"), problems.get(problems.size() - 1));
        assertEquals(10, problems.get(9).line());
    }

    @Test
    void deadLettersAreSearchedByTheEventTheyCarry() throws Exception {
        List<String> lab = Corpus.labLines();
        String delete = lab.stream().filter(l -> l.contains("\"verb\":\"delete\"")).findFirst().orElseThrow();
        String get = lab.stream().filter(l -> l.contains("\"verb\":\"get\"")).findFirst().orElseThrow();
        ObjectMapper json = new ObjectMapper();
        Path dead = dir.resolve("dead-letter");
        Files.createDirectories(dead);
        Files.writeString(dead.resolve("siem.ndjson"), record(json, "siem", "HTTP 400 {\"error\":\"no\"}", delete, false) + "\n"
                + record(json, "siem", "HTTP 400", get, true) + "\n");
        Files.writeString(dead.resolve("invalid.ndjson"), record(json, "invalid", "not a JSON object: starts with 'n'", "not json", false) + "\n");
        Collected deletes = run(EventFilter.builder().add(Field.VERB, "delete").build(), InputFiles.deadLetters(List.of(dead)));
        assertEquals(List.of(delete), deletes.lines);
        MatchedEvent.DeadLetter about = deletes.events.get(0).deadLetter().orElseThrow();
        assertEquals(new MatchedEvent.DeadLetter("2026-11-26T12:00:00Z", "siem", "HTTP 400 {\"error\":\"no\"}", "/var/log/audit.log", 94661),
                about);
        // The base64 form too; the invalid line's record names its file and line.
        assertEquals(List.of(get), run(EventFilter.builder().add(Field.VERB, "get").build(), InputFiles.deadLetters(List.of(dead))).lines);
        assertEquals(new Problem(dead.resolve("invalid.ndjson").toString(), 1, 0, "the dead-lettered line: invalid JSON: Unrecognized"
                + " token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"), problems.get(0));
    }

    private static String record(ObjectMapper json, String destination, String reason, String line, boolean base64) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("time", "2026-11-26T12:00:00Z");
        r.put("destination", destination);
        r.put("reason", reason);
        r.put("file", "/var/log/audit.log");
        r.put("offset", 94661);
        r.put("endOffset", 95380);
        if (base64) {
            r.put("lineBase64", Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8)));
        } else {
            r.put("line", line);
        }
        return json.writeValueAsString(r);
    }

    @Test
    void rawOutputIsTheEventsOwnBytes() throws Exception {
        ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
        ByteArrayOutputStream array = new ByteArrayOutputStream();
        EventFilter filter = EventFilter.builder().add(Field.STATUS, "403").build();
        new LogQuery(filter, EventParser.forQueries(), RawOutput.ndjson(ndjson), problems::add).run(InputFiles.of(List.of(Corpus.LAB)));
        new LogQuery(filter, EventParser.forQueries(), RawOutput.jsonArray(array), problems::add).run(InputFiles.of(List.of(Corpus.LAB)));
        List<String> forbidden = Corpus.labLines().stream().filter(l -> l.contains("\"code\":403")).toList();
        assertEquals(String.join("\n", forbidden) + "\n", ndjson.toString(StandardCharsets.UTF_8));
        assertEquals(forbidden.size(), new ObjectMapper().readTree(array.toByteArray()).size());
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        new LogQuery(EventFilter.builder().add(Field.USER, "nobody").build(), EventParser.forQueries(), RawOutput.jsonArray(empty),
                problems::add).run(InputFiles.of(List.of(Corpus.LAB)));
        assertEquals("[]\n", empty.toString(StandardCharsets.UTF_8));
    }
}
