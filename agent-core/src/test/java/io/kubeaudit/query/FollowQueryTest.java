package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --follow} on a log that grows, rotates and is compressed while it is watched. */
class FollowQueryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<String> shown = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> lines = Collections.synchronizedList(new ArrayList<>());
    private final List<Problem> problems = Collections.synchronizedList(new ArrayList<>());

    private final EventOutput output = new EventOutput() {
        @Override
        public void event(MatchedEvent e) {
            shown.add(new String(e.bytes(), e.start(), e.end() - e.start(), StandardCharsets.UTF_8));
            lines.add(e.line());
        }

        @Override
        public void flush() {
        }

        @Override
        public void finish() {
        }
    };

    @Test
    void showsMatchesAsTheyAreWrittenAcrossRotationAndCompression() throws Exception {
        List<String> lab = Corpus.labLines();
        List<String> deletes = lab.stream().filter(l -> l.contains("\"verb\":\"delete\"")).toList();
        Path log = dir.resolve("audit.log");
        Path backup = dir.resolve("audit-2026-11-26T12-30-00.000.log");
        append(log, lab.subList(0, 2000));
        EventFilter filter = EventFilter.builder().add(Field.VERB, "delete").build();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (FollowQuery query = new FollowQuery(log, Optional.of("cp1"), filter, EventParser.forQueries(), output, problems::add,
                InstantSource.system())) {
            Thread runner = new Thread(() -> {
                try {
                    query.run();
                } catch (Exception e) {
                    failed.set(e);
                }
            });
            runner.start();
            long inFirst = lab.subList(0, 2000).stream().filter(l -> l.contains("\"verb\":\"delete\"")).count();
            awaitShown(inFirst);
            // Rotation as lumberjack does it: rename, a new file, then the backup compressed and its plain file deleted.
            Files.move(log, backup);
            append(log, lab.subList(2000, lab.size()));
            gzip(backup);
            awaitShown(deletes.size());
            query.close();
            runner.join(WAIT.toMillis());
        }
        assertEquals(null, failed.get());
        assertEquals(deletes, shown);
        assertEquals(List.of(), problems);
        // Line numbers start again in the new file.
        int firstOfNew = (int) lab.subList(0, 2000).stream().filter(l -> l.contains("\"verb\":\"delete\"")).count();
        assertEquals(lab.subList(2000, lab.size()).indexOf(deletes.get(firstOfNew)) + 1, lines.get(firstOfNew));
        assertEquals(lab.indexOf(deletes.get(0)) + 1, lines.get(0));
    }

    private void awaitShown(long n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (shown.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(shown.size() >= n, "shown " + shown.size() + " of " + n + " within " + WAIT + "; problems " + problems);
    }

    private static void append(Path log, List<String> lines) throws IOException {
        try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String l : lines) {
                out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void gzip(Path plain) throws IOException {
        Path gz = plain.resolveSibling(plain.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(plain, out);
        }
        Files.delete(plain);
    }
}
