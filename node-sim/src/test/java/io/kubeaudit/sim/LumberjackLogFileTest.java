package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LumberjackLogFileTest {

    /** A clock that moves one millisecond per reading, so every rotation gets its own backup name. */
    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-11-26T12:26:59.812Z").toEpochMilli());
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.getAndIncrement());
    private final List<String> errors = new ArrayList<>();

    private LumberjackLogFile log(Path dir, long maxBytes, int maxBackups, int maxAgeDays, boolean compress) {
        return new LumberjackLogFile(dir.resolve("audit.log"), "/var/log/kubernetes/audit/audit.log",
                new LumberjackLogFile.Rotation(maxBytes, maxBackups, maxAgeDays, compress), false, clock, errors::add);
    }

    private static byte[] line(int i) {
        return String.format("{\"seq\":%05d,\"pad\":\"%s\"}%n", i, "x".repeat(80)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rotationRenamesToTimestampedBackupsAndEveryLineLandsExactlyOnce(@TempDir Path dir) throws IOException {
        try (LumberjackLogFile log = log(dir, 1000, 0, 0, false)) {
            for (int i = 0; i < 100; i++) {
                log.write(line(i));
            }
        }
        List<Path> backups = backups(dir);
        assertEquals(11, backups.size());
        assertEquals("audit-2026-11-26T12-26-59.812.log", backups.get(0).getFileName().toString());
        List<String> all = new ArrayList<>();
        for (Path b : backups) {
            assertTrue(Files.size(b) <= 1000);
            all.addAll(Files.readAllLines(b));
        }
        all.addAll(Files.readAllLines(dir.resolve("audit.log")));
        assertEquals(IntStream.range(0, 100).mapToObj(i -> new String(line(i), StandardCharsets.UTF_8).strip()).toList(), all);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.log"))));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void maxBackupsPrunesTheOldestAndCompressionWritesGzInPlace(@TempDir Path dir) throws IOException {
        try (LumberjackLogFile log = log(dir, 1000, 2, 0, true)) {
            for (int i = 0; i < 100; i++) {
                log.write(line(i));
            }
        }
        List<Path> backups = backups(dir);
        assertEquals(2, backups.size(), backups.toString());
        List<String> kept = new ArrayList<>();
        for (Path b : backups) {
            assertTrue(b.getFileName().toString().endsWith(".log.gz"), b.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(b)));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(b))) {
                kept.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        kept.addAll(Files.readAllLines(dir.resolve("audit.log")));
        int first = 100 - kept.size();
        assertEquals(IntStream.range(first, 100).mapToObj(i -> new String(line(i), StandardCharsets.UTF_8).strip()).toList(), kept);
    }

    @Test
    void anExistingFileIsAppendedToUntilItIsFull(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("audit.log"), new byte[900]);
        try (LumberjackLogFile log = log(dir, 1000, 0, 0, false)) {
            log.write(new byte[50]);
            assertEquals(950, Files.size(dir.resolve("audit.log")));
            assertTrue(backups(dir).isEmpty());
            log.write(new byte[60]);
        }
        assertEquals(1, backups(dir).size());
        assertEquals(60, Files.size(dir.resolve("audit.log")));
    }

    @Test
    void maxAgeRemovesBackupsOlderThanTheirNamedTime(@TempDir Path dir) throws IOException {
        Path ancient = Files.writeString(dir.resolve("audit-2020-01-01T00-00-00.000.log"), "old\n");
        Path unrelated = Files.writeString(dir.resolve("audit-notes.log"), "not a backup\n");
        try (LumberjackLogFile log = log(dir, 150, 0, 30, false)) {
            log.write(line(1));
            log.write(line(2));
        }
        assertFalse(Files.exists(ancient));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void oversizedWritesAndABindMountedFileFailAsInLumberjack(@TempDir Path dir) throws IOException {
        try (LumberjackLogFile log = log(dir, 100, 0, 0, false)) {
            assertEquals("write length 101 exceeds maximum file size 100",
                    assertThrows(IOException.class, () -> log.write(new byte[101])).getMessage());
        }
        try (LumberjackLogFile mounted = new LumberjackLogFile(dir.resolve("audit.log"), "/var/log/kubernetes/audit/audit.log",
                new LumberjackLogFile.Rotation(100, 0, 0, false), true, clock, errors::add)) {
            mounted.write(new byte[99]);
            String message = assertThrows(IOException.class, () -> mounted.write(new byte[2])).getMessage();
            assertTrue(message.matches("can't rename log file: rename /var/log/kubernetes/audit/audit.log "
                    + "/var/log/kubernetes/audit/audit-\\S+\\.log: device or resource busy"), message);
        }
    }

    private static List<Path> backups(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("audit-\\d.*")).sorted().toList();
        }
    }
}
