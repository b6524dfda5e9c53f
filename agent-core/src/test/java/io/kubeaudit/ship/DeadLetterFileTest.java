package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.SmallFileSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 13: a dead-letter record is written whole or not at all, and a torn one never stays. */
class DeadLetterFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-07T12:00:00Z"));

    @TempDir
    Path dir;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logBytes, true, StandardCharsets.UTF_8), CLOCK, false, false);

    private static List<DeadLetterFile.Entry> entries(int first, int count, int bytes) {
        List<DeadLetterFile.Entry> out = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String line = "{\"kind\":\"Event\",\"auditID\":\"" + i + "\",\"pad\":\"" + "x".repeat(bytes) + "\"}";
            out.add(new DeadLetterFile.Entry("/var/log/audit.log", i * 1000L, i * 1000L + line.length() + 1,
                    line.getBytes(StandardCharsets.UTF_8), "HTTP 400 refused", "{\"error\":\"refused\"}"));
        }
        return out;
    }

    /** Every line of the file, parsed; fails on a torn record. */
    private static List<JsonNode> records(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length == 0 || bytes[bytes.length - 1] == '\n', "the file ends inside a record");
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void aFullDiskNeverLeavesATornRecordAndTheNextRunAppendsWholeOnes() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(dir.resolve("small"), 96)) {
            Path filler = Files.write(fs.root().resolve("filler"), new byte[32 * 1024]);
            Path file = fs.root().resolve("dead-letter/siem.ndjson");
            DeadLetterFile dead = new DeadLetterFile(file, "siem", CLOCK, log);
            int written = 0;
            IOException full = null;
            while (full == null) {
                try {
                    dead.write(entries(written, 3, 3000));
                    written += 3;
                } catch (IOException e) {
                    full = e;
                }
            }
            assertTrue(full.getMessage().contains("No space left"), full.toString());
            assertEquals(written, records(file).size());
            dead.close();

            // The next run: space freed, the same events written again after the whole records.
            Files.delete(filler);
            DeadLetterFile next = new DeadLetterFile(file, "siem", CLOCK, log);
            next.openExisting();
            next.write(entries(written, 3, 3000));
            next.close();
            List<JsonNode> all = records(file);
            assertEquals(written + 3, all.size());
            assertEquals(Integer.toString(written + 2), JSON.readTree(all.get(written + 2).get("line").asText()).get("auditID").asText());
        }
    }

    @Test
    void aTornTailLeftByAKilledRunIsCutOffAtStart() throws Exception {
        Path file = Files.createDirectories(dir.resolve("dead-letter")).resolve("siem.ndjson");
        DeadLetterFile first = new DeadLetterFile(file, "siem", CLOCK, log);
        first.write(entries(0, 2, 100));
        first.close();
        long whole = Files.size(file);
        byte[] torn = "{\"time\":\"2026-12-07T12:00:00Z\",\"destination\":\"si".getBytes(StandardCharsets.UTF_8);
        Files.write(file, torn, StandardOpenOption.APPEND);

        DeadLetterFile next = new DeadLetterFile(file, "siem", CLOCK, log);
        next.openExisting();
        assertEquals(whole, Files.size(file));
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("cut off a torn dead-letter record") && logged.contains("bytes=" + torn.length), logged);
        next.write(entries(2, 1, 100));
        next.close();
        assertEquals(3, records(file).size());
    }

    @Test
    void aFileOfOneTornRecordIsCutToEmpty() throws Exception {
        Path file = Files.createDirectories(dir.resolve("dead-letter")).resolve("invalid.ndjson");
        Files.write(file, new byte[200_000]);
        DeadLetterFile dead = new DeadLetterFile(file, "invalid", CLOCK, log);
        dead.openExisting();
        assertEquals(0, Files.size(file));
        dead.close();
    }
}
