package io.kubeaudit.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracker alone, on real files in a directory rotated the way the API server's logger does it. */
class RotationTrackerTest {

    @TempDir
    Path dir;

    private final RecordingListener listener = new RecordingListener();
    private Lumberjack log;
    private RotationTracker tracker;

    private RotationTracker tracker(int maxOpenFiles) throws IOException {
        log = new Lumberjack(dir, Long.MAX_VALUE);
        tracker = new RotationTracker(new BackupNames(log.log), listener, maxOpenFiles);
        return tracker;
    }

    @AfterEach
    void close() throws Exception {
        if (tracker != null) {
            tracker.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private RotationTracker.Head head() throws IOException {
        return tracker.openHead().orElseThrow(() -> new AssertionError("no file to read; reports " + listener.events()));
    }

    private static String fileName(RotationTracker.Head head) {
        return head.segment().path.getFileName().toString();
    }

    @Test
    void fromTheBeginningEveryBackupIsReadOldestFirstThenTheLiveLog() throws Exception {
        tracker(10);
        log.write("{\"first\":1}");
        Path oldest = log.rotate();
        log.write("{\"second\":2}");
        Path newer = log.rotate();
        log.write("{\"live\":3}");
        tracker.plan(Optional.empty(), StartPosition.BEGINNING);

        assertEquals(oldest.getFileName().toString(), fileName(head()));
        tracker.finish(head().segment());
        assertEquals(newer.getFileName().toString(), fileName(head()));
        tracker.finish(head().segment());
        assertTrue(tracker.openHead().isEmpty(), "a live log found at start waits for a later listing (older backups may be missing from the first)");
        tracker.scan();
        assertEquals("audit.log", fileName(head()));
        assertFalse(tracker.hasNewer(head().segment()));
    }

    @Test
    void fromTheEndReadingStartsAfterTheLastCompleteLine() throws Exception {
        tracker(10);
        log.write("{\"a\":1}");
        log.writeRaw("{\"partial\"");
        tracker.plan(Optional.empty(), StartPosition.END);
        tracker.scan();
        assertEquals(8, head().startOffset());
    }

    @Test
    void aCheckpointedFileRenamedSinceIsFoundByItsFingerprint() throws Exception {
        tracker(10);
        log.write("{\"a\":1}");
        log.write("{\"b\":2}");
        Checkpoint checkpoint = checkpointOf(log.log, 8);
        Path backup = log.rotate();
        log.write("{\"c\":3}");
        tracker.plan(Optional.of(checkpoint), StartPosition.BEGINNING);

        RotationTracker.Head head = head();
        assertEquals(backup.getFileName().toString(), fileName(head));
        assertEquals(8, head.startOffset());
        assertTrue(tracker.hasNewer(head.segment()), "the live log comes after it");
    }

    @Test
    void aCheckpointedFileThatIsGoneIsReportedAndReadingGoesOnWithTheOldestRemainingFile() throws Exception {
        tracker(10);
        log.write("{\"gone\":1}");
        Checkpoint checkpoint = checkpointOf(log.log, 11);
        Files.delete(log.rotate());
        log.write("{\"b\":2}");
        Path remaining = log.rotate();
        tracker.plan(Optional.of(checkpoint), StartPosition.BEGINNING);

        assertEquals(1, listener.events("lost").size(), listener.events().toString());
        assertTrue(listener.events("lost").get(0).contains("is gone"), listener.events().toString());
        assertEquals(remaining.getFileName().toString(), fileName(head()));
    }

    @Test
    void aCheckpointBeyondTheFilesEndIsReportedAsATruncationAndReadingRestartsAtZero() throws Exception {
        tracker(10);
        log.write("{\"a\":1}");
        Checkpoint checkpoint = checkpointOf(log.log, 500);
        Path backup = log.rotate();
        tracker.plan(Optional.of(checkpoint), StartPosition.BEGINNING);

        assertEquals(List.of("truncated " + backup + " 500 8"), listener.events("truncated"));
        assertEquals(0, head().startOffset());
    }

    @Test
    void aRotationOfTheLiveLogIsReportedWithItsBackupNameAndTheNewLogQueuedBehindIt() throws Exception {
        tracker(10);
        log.write("{\"a\":1}");
        tracker.plan(Optional.empty(), StartPosition.BEGINNING);
        tracker.scan();
        RotationTracker.Head live = head();
        assertFalse(tracker.hasNewer(live.segment()));

        Path backup = log.renameAndReopen();
        log.write("{\"b\":2}");
        tracker.scan();

        assertEquals(List.of("rotated " + log.log + " -> " + backup), listener.events("rotated"));
        assertEquals(backup, live.segment().path);
        assertTrue(tracker.hasNewer(live.segment()));
        tracker.finish(live.segment());
        assertTrue(tracker.openHead().isEmpty(), "the new live log was found by that scan: it waits for the next");
        tracker.scan();
        assertEquals("audit.log", fileName(head()));
    }

    @Test
    void backupsBeyondTheOpenFileLimitAreNotHeldAndOneDeletedUnreadIsCountedLost() throws Exception {
        tracker(1);
        log.write("{\"a\":1}");
        log.rotate();
        log.write("{\"bb\":2}");
        Path second = log.rotate();
        log.write("{\"live\":3}");
        tracker.plan(Optional.empty(), StartPosition.BEGINNING);
        assertEquals(List.of("limit " + second + " 1"), listener.events("limit"));

        Files.delete(second);
        tracker.scan();
        assertTrue(listener.events("lost").isEmpty(), "one scan may miss a name being renamed");
        tracker.scan();
        assertEquals(1, listener.events("lost").size(), listener.events().toString());
        assertTrue(listener.events("lost").get(0).startsWith("lost " + second + " 9 deleted before it was read"),
                listener.events().toString());
    }

    @Test
    void aBackupNotHeldThatIsCompressedMeanwhileIsReadFromItsGz() throws Exception {
        tracker(1);
        log.write("{\"a\":1}");
        log.rotate();
        log.write("{\"b\":2}");
        Path second = log.rotate();
        tracker.plan(Optional.empty(), StartPosition.BEGINNING);

        Path gz = Lumberjack.compress(second);
        tracker.scan();
        tracker.finish(head().segment());

        RotationTracker.Head head = head();
        assertEquals(gz, head.segment().path);
        assertTrue(head.compressed());
        assertTrue(listener.events("lost").isEmpty(), listener.events().toString());
    }

    @Test
    void everyScanReportsTheBytesAndFilesNotReadYet() throws Exception {
        tracker(10);
        log.write("{\"a\":1}");
        log.rotate();
        log.write("{\"bb\":2}");
        tracker.plan(Optional.empty(), StartPosition.BEGINNING);
        tracker.scan();
        assertEquals(List.of("backlog 17 2"), listener.events("backlog"));
    }

    private static Checkpoint checkpointOf(Path file, long offset) throws IOException {
        FileStat stat = FileStat.of(file).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        byte[] prefix = Fingerprint.prefixOf(bytes, bytes.length).orElseThrow();
        assertTrue(new String(prefix, StandardCharsets.UTF_8).endsWith("\n"));
        return new Checkpoint(new FileId(stat.device(), stat.inode(), Fingerprint.hash(prefix)), file.toString(), offset);
    }
}
