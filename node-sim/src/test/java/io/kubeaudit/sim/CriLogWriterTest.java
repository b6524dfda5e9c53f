package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogWriterTest {

    @Test
    void linesCarryTimeStreamAndTagAndLongLinesAreSplitIntoPartials(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kube-apiserver/0.log");
        try (CriLogWriter log = new CriLogWriter(file, () -> Instant.parse("2026-11-26T13:40:01.123450000Z"))) {
            log.line("stderr", "Error: boom".getBytes(StandardCharsets.UTF_8));
            log.line("stdout", "y".repeat(CriLogWriter.MAX_RECORD + 5).getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("2026-11-26T13:40:01.12345Z stderr F Error: boom",
                "2026-11-26T13:40:01.12345Z stdout P " + "y".repeat(CriLogWriter.MAX_RECORD),
                "2026-11-26T13:40:01.12345Z stdout F yyyyy"), lines);
    }

    @Test
    void timestampsAreGoRfc3339NanoWithTrailingZerosDropped() {
        assertEquals("2026-11-26T13:40:01.123456789Z", CriLogWriter.timestamp(Instant.parse("2026-11-26T13:40:01.123456789Z")));
        assertEquals("2026-11-26T13:40:01Z", CriLogWriter.timestamp(Instant.parse("2026-11-26T13:40:01Z")));
        assertEquals("2026-11-26T13:40:01.5Z", CriLogWriter.timestamp(Instant.parse("2026-11-26T13:40:01.500Z")));
    }
}
