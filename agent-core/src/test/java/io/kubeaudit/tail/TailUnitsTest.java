package io.kubeaudit.tail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small parts: byte search, fingerprints, line assembly, backup names, value checks. */
class TailUnitsTest {

    @TempDir
    Path dir;

    @Test
    void byteSearchAgreesWithAPlainLoopEverywhereInBothDirections() {
        Random random = new Random(7);
        byte[] targets = {'\n', '"', (byte) 0x80, 0};
        for (int round = 0; round < 4000; round++) {
            byte target = targets[round % targets.length];
            byte[] bytes = new byte[random.nextInt(70)];
            for (int i = 0; i < bytes.length; i++) {
                int pick = random.nextInt(12);
                // Neighbours of the target (one bit apart, or the high bit flipped) are what a wrong mask would match.
                bytes[i] = (byte) (pick == 0 ? target : pick == 1 ? target ^ 0x80 : pick == 2 ? target ^ 0x01
                        : pick == 3 ? target - 1 : random.nextInt(256));
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = bytes.length == 0 ? 0 : from + random.nextInt(bytes.length - from + 1);
            int first = -1;
            for (int i = from; i < to; i++) {
                if (bytes[i] == target) {
                    first = i;
                    break;
                }
            }
            int last = -1;
            for (int i = to - 1; i >= from; i--) {
                if (bytes[i] == target) {
                    last = i;
                    break;
                }
            }
            String where = Arrays.toString(bytes) + " [" + from + ", " + to + ") for " + target;
            assertEquals(first, ByteSearch.indexOf(bytes, target, from, to), "first in " + where);
            assertEquals(last, ByteSearch.lastIndexOf(bytes, target, from, to - 1), "last in " + where);
        }
    }

    @Test
    void aFingerprintIsTheFirstLineOrTheFirstKibibyteAndNothingBefore() throws Exception {
        byte[] shortPartial = "{\"kind\":\"Ev".getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.empty(), Fingerprint.prefixOf(shortPartial, shortPartial.length).map(String::new));
        byte[] twoLines = "{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8),
                Fingerprint.prefixOf(twoLines, twoLines.length).orElseThrow());
        byte[] longLine = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        assertEquals(Fingerprint.BYTES, Fingerprint.prefixOf(longLine, longLine.length).orElseThrow().length);
        // The same content, compressed, has the same fingerprint; half a gzip has none yet.
        Path gz = Files.write(dir.resolve("a.log.gz"), Lumberjack.gzip(twoLines));
        try (FileChannel channel = FileChannel.open(gz)) {
            assertArrayEquals(Fingerprint.prefixOf(twoLines, twoLines.length).orElseThrow(),
                    GzipContent.prefixOf(channel).orElseThrow());
            assertTrue(GzipContent.inspect(channel) instanceof GzipContent.Complete);
        }
        Path half = Files.write(dir.resolve("b.log.gz"), Arrays.copyOf(Lumberjack.gzip(twoLines), 12));
        try (FileChannel channel = FileChannel.open(half)) {
            assertEquals(Optional.empty(), GzipContent.prefixOf(channel));
            assertTrue(GzipContent.inspect(channel) instanceof GzipContent.Incomplete);
        }
        String hash = Fingerprint.hash(twoLines);
        assertTrue(hash.matches("[0-9a-f]{32}"), hash);
    }

    @Test
    void linesAreCutAtNewlinesWhereverTheReadsEnd() throws Exception {
        String text = "{\"a\":1}\n\n{\"bb\":22}\n{\"ccc\":333}\npartial";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            LineSplitter splitter = new LineSplitter(1024, 100);
            List<String> lines = new ArrayList<>();
            LineSplitter.Sink sink = sink(lines);
            splitter.feed(Arrays.copyOfRange(bytes, 0, split), split, sink);
            byte[] rest = Arrays.copyOfRange(bytes, split, bytes.length);
            splitter.feed(rest, rest.length, sink);
            assertEquals(List.of("100:{\"a\":1}", "108:", "109:{\"bb\":22}", "119:{\"ccc\":333}"), lines, "split at " + split);
            assertEquals(131, splitter.lineStart());
            assertEquals(7, splitter.partialBytes());
        }
    }

    @Test
    void aLineOverTheLimitIsSkippedAndReportedWithItsHead() throws Exception {
        LineSplitter splitter = new LineSplitter(10, 0);
        List<String> lines = new ArrayList<>();
        LineSplitter.Sink sink = sink(lines);
        byte[] first = "short\n0123456789ABC".getBytes(StandardCharsets.UTF_8);
        splitter.feed(first, first.length, sink);
        byte[] second = "DEF\nok\n".getBytes(StandardCharsets.UTF_8);
        splitter.feed(second, second.length, sink);
        assertEquals(List.of("0:short", "too long 6:16:0123456789ABC", "23:ok"), lines);
    }

    @Test
    void backupNamesAreTheApiServersRotationNames() {
        BackupNames names = new BackupNames(Path.of("/var/log/kubernetes/audit/audit.log"));
        assertEquals(Optional.of(new BackupNames.Backup("2026-11-26T12-26-59.812", false)),
                names.parse("audit-2026-11-26T12-26-59.812.log"));
        assertEquals(Optional.of(new BackupNames.Backup("2026-11-26T12-26-59.812", true)),
                names.parse("audit-2026-11-26T12-26-59.812.log.gz"));
        for (String other : List.of("audit.log", "audit.log.1", "audit-2026-11-26.log", ".audit-2026-11-26T12-26-59.812.log",
                "audit-2026-11-26T12-26-59.812.log.gz.tmp", "kube-audit-2026-11-26T12-26-59.812.log")) {
            assertEquals(Optional.empty(), names.parse(other), other);
        }
        BackupNames bare = new BackupNames(Path.of("/logs/audit"));
        assertEquals(Optional.of(new BackupNames.Backup("2026-11-26T12-26-59.812", true)),
                bare.parse("audit-2026-11-26T12-26-59.812.gz"));
        assertEquals(Optional.of("2026-11-26T12-26-59.812"),
                names.stampOf("/var/log/kubernetes/audit/audit-2026-11-26T12-26-59.812.log"));
        assertEquals(Optional.empty(), names.stampOf("/var/log/kubernetes/audit/audit.log"));
    }

    @Test
    void valuesRejectWhatCannotBe() {
        FileId id = new FileId(1, 2, "ab");
        assertThrows(IllegalArgumentException.class, () -> new FileId(1, 2, " "));
        assertThrows(IllegalArgumentException.class, () -> new LogLine(0, id, "/a", 10, 12, new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(id, "/a", -1));
        assertEquals(new Checkpoint(id, "/a", 16), new LogLine(3, id, "/a", 10, 16, new byte[5]).checkpoint());
        assertThrows(IllegalArgumentException.class, () -> new FollowerSettings(Path.of("/a"),
                io.kubeaudit.config.ShipConfig.StartPosition.END, 100, FollowerSettings.DEFAULT_POLL_INTERVAL, 8,
                4096, FollowerSettings.DEFAULT_INCOMPLETE_GZIP_GRACE));
        assertThrows(IllegalArgumentException.class, () -> new FollowerSettings(Path.of("/a"),
                io.kubeaudit.config.ShipConfig.StartPosition.END, FollowerSettings.DEFAULT_MAX_LINE_BYTES,
                FollowerSettings.DEFAULT_POLL_INTERVAL, 1, 4096, FollowerSettings.DEFAULT_INCOMPLETE_GZIP_GRACE));
    }

    private static LineSplitter.Sink sink(List<String> lines) {
        return new LineSplitter.Sink() {
            @Override
            public void line(long offset, byte[] bytes) {
                lines.add(offset + ":" + new String(bytes, StandardCharsets.UTF_8));
            }

            @Override
            public void tooLong(long offset, long length, byte[] head) {
                lines.add("too long " + offset + ":" + length + ":" + new String(head, StandardCharsets.UTF_8));
            }
        };
    }
}
