package io.kubeaudit.tail;

import static io.kubeaudit.tail.CollectingConsumer.texts;
import static io.kubeaudit.tail.LineAssertions.assertSameLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowerStartTest {

    @TempDir
    Path dir;

    @Test
    void beginningReadsEveryRetainedBackupOldestFirstThenTheLiveLog() throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 3000)) {
            for (String e : Events.range(0, 40)) {
                lumberjack.write(e);
            }
            Lumberjack.compress(lumberjack.backups().get(1));
        }
        assertTrue(Files.list(dir).count() > 5, "the test needs several backups, one compressed");

        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(dir.resolve("audit.log"),
                StartPosition.BEGINNING), Optional.empty())) {
            List<LogLine> lines = f.consumer.awaitCount(40);
            assertSameLines(Events.range(0, 40), texts(lines), f.listener.events());
            assertEquals(LongStream.range(0, 40).boxed().toList(), lines.stream().map(LogLine::sequence).toList());
            assertEquals(1, f.listener.events("opened").stream().filter(e -> e.endsWith(" gz")).count());
        }
    }

    @Test
    void endSkipsWhatIsThereButReadsALineStillBeingWritten() throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            for (String e : Events.range(0, 5)) {
                lumberjack.write(e);
            }
            String fifth = Events.event(5);
            lumberjack.writeRaw(fifth.substring(0, 30));
            try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lumberjack.log, StartPosition.END),
                    Optional.empty())) {
                f.listener.await("opened", e -> e.startsWith("opened "));
                lumberjack.writeRaw(fifth.substring(30) + "\n");
                lumberjack.write(Events.event(6));
                assertSameLines(Events.range(5, 7), texts(f.consumer.awaitCount(2)), f.listener.events());
            }
        }
    }

    @Test
    void resumesAtTheCheckpointedOffsetWithFreshSequenceNumbers() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.write(log, Events.range(0, 10));
        Checkpoint checkpoint;
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.empty())) {
            checkpoint = f.consumer.awaitCount(10).get(3).checkpoint();
        }
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.of(checkpoint))) {
            List<LogLine> lines = f.consumer.awaitCount(6);
            assertSameLines(Events.range(4, 10), texts(lines), f.listener.events());
            assertEquals(checkpoint.offset(), lines.get(0).offset());
            assertEquals(0, lines.get(0).sequence());
            assertEquals(List.of("opened " + log + " " + checkpoint.offset()), f.listener.events("opened"));
        }
    }

    @Test
    void waitsForALogThatDoesNotExistYet() throws Exception {
        Path log = dir.resolve("audit").resolve("audit.log");
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.END),
                Optional.empty())) {
            f.listener.await("waiting", e -> e.startsWith("waiting " + log + " no audit log yet"));
            Files.createDirectories(log.getParent());
            Files.write(log, Events.range(0, 3));
            assertSameLines(Events.range(0, 3), texts(f.consumer.awaitCount(3)), f.listener.events());
        }
    }

    @Test
    void aLogThatCannotBeListedStopsTheFollowerWithAnError() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("audit"), "a file where the log directory should be");
        Path log = notADirectory.resolve("audit.log");
        Follower follower = new Follower(RunningFollower.settings(log, StartPosition.BEGINNING), Optional.empty(),
                new CollectingConsumer(), new RecordingListener(), java.time.InstantSource.system());
        TailException e = assertThrows(TailException.class, follower::run);
        assertTrue(e.getMessage().startsWith("following " + log + " failed: "), e.getMessage());
    }

    @Test
    void linesAndBytesAreCountedForMetrics() throws Exception {
        Path log = dir.resolve("audit.log");
        List<String> events = new ArrayList<>(Events.range(0, 25));
        Files.write(log, events);
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.empty())) {
            f.consumer.awaitCount(25);
            f.listener.await("an empty backlog: no bytes and no files left unread", e -> e.equals("backlog 0 0"));
            f.stop();
            assertEquals(25, f.listener.linesCounted());
        }
    }
}
