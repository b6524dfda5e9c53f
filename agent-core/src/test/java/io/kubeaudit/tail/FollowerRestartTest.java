package io.kubeaudit.tail;

import static io.kubeaudit.tail.CollectingConsumer.texts;
import static io.kubeaudit.tail.LineAssertions.assertSameLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A follower stopped, the log changed meanwhile, a new follower resumed from the last checkpoint. */
class FollowerRestartTest {

    @TempDir
    Path dir;

    private Checkpoint readAndCheckpointAfter(Path log, int count, int acknowledged) throws Exception {
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.empty())) {
            return f.consumer.awaitCount(count).get(acknowledged - 1).checkpoint();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void resumesInTheRotatedCheckpointedFileThenNewerBackupsThenTheLiveLog(boolean compress) throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            Lumberjack.compress(writeAndRotate(lumberjack, 0, 3)); // an older backup, already shipped
            for (String e : Events.range(3, 10)) {
                lumberjack.write(e);
            }
            Checkpoint checkpoint = readAndCheckpointAfter(lumberjack.log, 10, 6);

            Path checkpointed = lumberjack.renameAndReopen();
            if (compress) {
                Lumberjack.compress(checkpointed);
            }
            Path newer = writeAndRotate(lumberjack, 10, 14);
            if (compress) {
                Lumberjack.compress(newer);
            }
            for (String e : Events.range(14, 17)) {
                lumberjack.write(e);
            }
            try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lumberjack.log, StartPosition.BEGINNING),
                    Optional.of(checkpoint))) {
                List<LogLine> lines = f.consumer.awaitCount(11);
                assertSameLines(Events.range(6, 17), texts(lines), f.listener.events());
                assertEquals(checkpoint.offset(), lines.get(0).offset(), "resumed at the exact (decompressed) offset");
                String first = f.listener.events("opened").get(0);
                assertTrue(first.startsWith("opened " + (compress ? checkpointed + ".gz" : checkpointed.toString())
                        + " " + checkpoint.offset()), first);
                assertEquals(List.of(), f.listener.events("lost"));
            }
        }
    }

    @Test
    void aCheckpointedFileThatIsGoneIsReportedLostAndTheOldestRemainingFileIsNext() throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            for (String e : Events.range(0, 6)) {
                lumberjack.write(e);
            }
            Checkpoint checkpoint = readAndCheckpointAfter(lumberjack.log, 6, 2);
            Path gone = lumberjack.renameAndReopen();
            writeAndRotate(lumberjack, 6, 9);
            for (String e : Events.range(9, 11)) {
                lumberjack.write(e);
            }
            Files.delete(gone);
            try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lumberjack.log, StartPosition.BEGINNING),
                    Optional.of(checkpoint))) {
                assertSameLines(Events.range(6, 11), texts(f.consumer.awaitCount(5)), f.listener.events());
                String lost = f.listener.await("lost", e -> e.startsWith("lost " + lumberjack.log + " 0 "));
                assertTrue(lost.contains("is gone") && lost.contains("unknown"), lost);
            }
        }
    }

    @Test
    void aLogRewrittenInPlaceKeepsItsInodeButIsReadFromZero() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.write(log, Events.range(0, 4));
        Object inode = Files.getAttribute(log, "unix:ino");
        Checkpoint checkpoint = readAndCheckpointAfter(log, 4, 4);
        // Same inode, other content, longer than the checkpoint offset: only the first line tells.
        Files.write(log, Events.range(100, 110), StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(inode, Files.getAttribute(log, "unix:ino"));
        assertTrue(Files.size(log) > checkpoint.offset());
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.of(checkpoint))) {
            assertSameLines(Events.range(100, 110), texts(f.consumer.awaitCount(10)), f.listener.events());
            String lost = f.listener.await("lost", e -> e.startsWith("lost " + log + " 0 "));
            assertTrue(lost.contains("inode was reused"), lost);
        }
    }

    @Test
    void aLogDeletedAndCreatedAgainIsReadFromZero() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.write(log, Events.range(0, 4));
        Checkpoint checkpoint = readAndCheckpointAfter(log, 4, 4);
        Files.delete(log);
        Files.write(log, Events.range(200, 207)); // the filesystem may well give it the freed inode
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.of(checkpoint))) {
            assertSameLines(Events.range(200, 207), texts(f.consumer.awaitCount(7)), f.listener.events());
            f.listener.await("lost", e -> e.startsWith("lost " + log + " 0 "));
        }
    }

    @Test
    void aCheckpointBeyondTheEndOfItsFileIsATruncation() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.write(log, Events.range(0, 5));
        Checkpoint checkpoint = readAndCheckpointAfter(log, 5, 5);
        // Truncated and rewritten with the same first line: the identity matches, the offset does not.
        Files.write(log, List.of(Events.event(0), Events.event(50)), StandardOpenOption.TRUNCATE_EXISTING);
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.of(checkpoint))) {
            assertSameLines(List.of(Events.event(0), Events.event(50)), texts(f.consumer.awaitCount(2)),
                    f.listener.events());
            f.listener.await("truncated", e -> e.equals("truncated " + log + " " + checkpoint.offset() + " "
                    + sizeOf(log)));
        }
    }

    @Test
    void aPartialLineAtStopIsReadWholeAfterTheRestart() throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            lumberjack.write(Events.event(0));
            lumberjack.write(Events.event(1));
            String third = Events.event(2);
            lumberjack.writeRaw(third.substring(0, 40));
            Checkpoint checkpoint;
            try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lumberjack.log,
                    StartPosition.BEGINNING), Optional.empty())) {
                // One read took all three, so the partial line is in the follower when line 2 arrives.
                List<LogLine> lines = f.consumer.awaitCount(2);
                checkpoint = lines.get(1).checkpoint();
                f.stop();
                assertEquals(2, f.consumer.lines().size(), "a partial line is never handed on");
            }
            lumberjack.writeRaw(third.substring(40) + "\n");
            try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lumberjack.log,
                    StartPosition.BEGINNING), Optional.of(checkpoint))) {
                assertSameLines(List.of(third), texts(f.consumer.awaitCount(1)), f.listener.events());
            }
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path writeAndRotate(Lumberjack lumberjack, int from, int to) throws Exception {
        List<String> events = new ArrayList<>(Events.range(from, to));
        for (String e : events) {
            lumberjack.write(e);
        }
        return lumberjack.renameAndReopen();
    }
}
