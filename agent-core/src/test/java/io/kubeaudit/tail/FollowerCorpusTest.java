package io.kubeaudit.tail;

import static io.kubeaudit.tail.CollectingConsumer.texts;
import static io.kubeaudit.tail.LineAssertions.assertSameLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Audit logs written by real API servers and collected by others (test resources corpus/auditlogs). */
class FollowerCorpusTest {

    private static final Path CORPUS = corpus();

    @TempDir
    Path dir;

    static Path corpus() {
        try {
            return Path.of(FollowerCorpusTest.class.getResource("/corpus/auditlogs").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Path> singleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".json"))
                    .filter(p -> !p.getParent().getFileName().toString().startsWith("real-"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("singleFiles")
    void everyLineOfEveryCorpusLogArrivesByteForByte(Path source) throws Exception {
        Path log = dir.resolve("audit.log");
        Files.copy(source, log);
        List<String> expected = lines(Files.readAllBytes(source));
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.empty())) {
            assertSameLines(expected, texts(f.consumer.awaitCount(expected.size())), source);
        }
    }

    @Test
    void aRealApiServersCompressedBackupsAndLiveLogAreReadOldestFirst() throws Exception {
        Path lab = copyLab();
        List<String> expected = labLines(lab);
        // SOURCES.md says 3,972 events; the files hold 3,980 lines, each a valid event.
        assertEquals(3980, expected.size());
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lab.resolve("audit.log"),
                StartPosition.BEGINNING), Optional.empty())) {
            List<LogLine> lines = f.consumer.awaitCount(expected.size());
            assertSameLines(expected, texts(lines), f.listener.events());
            assertEquals(5, f.listener.events("opened").size());
            // The longest event, 64,811 bytes with its newline, arrives whole.
            assertEquals(64_810, lines.stream().mapToInt(l -> l.bytes().length).max().orElseThrow());
        }
    }

    @Test
    void resumesInTheMiddleOfARealCompressedBackup() throws Exception {
        Path lab = copyLab();
        List<String> expected = labLines(lab);
        Checkpoint checkpoint;
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lab.resolve("audit.log"),
                StartPosition.BEGINNING), Optional.empty())) {
            LogLine line = f.consumer.awaitCount(1500).get(1499);
            assertTrue(line.path().endsWith("audit-2026-11-26T12-27-37.236.log.gz"), line.path());
            checkpoint = line.checkpoint();
        }
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lab.resolve("audit.log"),
                StartPosition.BEGINNING), Optional.of(checkpoint))) {
            List<LogLine> lines = f.consumer.awaitCount(expected.size() - 1500);
            assertSameLines(expected.subList(1500, expected.size()), texts(lines), f.listener.events());
            assertEquals("opened " + lab.resolve("audit-2026-11-26T12-27-37.236.log.gz") + " " + checkpoint.offset()
                    + " gz", f.listener.events("opened").get(0));
        }
    }

    private Path copyLab() throws IOException {
        Path lab = Files.createDirectory(dir.resolve("lab"));
        try (Stream<Path> files = Files.list(CORPUS.resolve("real-kube-apiserver-v1.20.2-lab"))) {
            for (Path p : files.toList()) {
                Files.copy(p, lab.resolve(p.getFileName().toString()));
            }
        }
        return lab;
    }

    /** The backups decompressed, oldest first, then the live log: the order the server wrote them. */
    private static List<String> labLines(Path lab) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(lab)) {
            for (Path gz : files.filter(p -> p.toString().endsWith(".gz")).sorted().toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                    all.addAll(lines(in.readAllBytes()));
                }
            }
        }
        all.addAll(lines(Files.readAllBytes(lab.resolve("audit.log"))));
        return all;
    }

    /** Complete lines (a last line without newline is not one). */
    private static List<String> lines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : Arrays.asList(text.substring(0, end).split("\n", -1));
    }
}
