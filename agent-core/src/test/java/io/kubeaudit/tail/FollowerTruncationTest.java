package io.kubeaudit.tail;

import static io.kubeaudit.tail.CollectingConsumer.texts;
import static io.kubeaudit.tail.LineAssertions.assertSameLines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowerTruncationTest {

    @TempDir
    Path dir;

    @Test
    void copyTruncateRestartsAtZeroAndSaysSo() throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            for (String e : Events.range(0, 5)) {
                lumberjack.write(e);
            }
            try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lumberjack.log,
                    StartPosition.BEGINNING), Optional.empty())) {
                f.consumer.awaitCount(5);
                long size = Files.size(lumberjack.log);
                Files.copy(lumberjack.log, dir.resolve("audit.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
                lumberjack.truncate();
                for (String e : Events.range(5, 8)) {
                    lumberjack.write(e);
                }
                assertSameLines(Events.range(0, 8), texts(f.consumer.awaitCount(8)), f.listener.events());
                f.listener.await("truncation", e -> e.startsWith("truncated " + lumberjack.log + " " + size + " "));
                assertEquals(1, f.listener.events("opened").size(), "the same file goes on: " + f.listener.events());
            }
        }
    }

    @Test
    void aFileRewrittenPastTheReadPositionWhileTheFollowerWaitedIsReadFromZero() throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            for (String e : Events.range(0, 5)) {
                lumberjack.write(e);
            }
            CollectingConsumer consumer = new CollectingConsumer();
            consumer.holdAt(2);
            try (RunningFollower f = new RunningFollower(RunningFollower.settings(lumberjack.log, StartPosition.BEGINNING),
                    Optional.empty(), consumer, new RecordingListener(), InstantSource.system())) {
                consumer.awaitHolding();
                // Truncated and refilled beyond where the follower stopped reading: a size check
                // alone would go on reading in the middle of a new line.
                lumberjack.truncate();
                for (String e : Events.range(100, 112)) {
                    lumberjack.write(e);
                }
                consumer.release();
                List<String> expected = new ArrayList<>(Events.range(0, 5));
                expected.addAll(Events.range(100, 112));
                assertSameLines(expected, texts(consumer.awaitCount(17)), f.listener.events());
                f.listener.await("truncation", e -> e.startsWith("truncated " + lumberjack.log + " "));
            }
        }
    }
}
