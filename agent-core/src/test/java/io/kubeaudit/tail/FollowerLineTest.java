package io.kubeaudit.tail;

import static io.kubeaudit.tail.CollectingConsumer.texts;
import static io.kubeaudit.tail.LineAssertions.assertSameLines;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FollowerLineTest {

    @TempDir
    Path dir;

    /** An audit event of about {@code bytes} bytes, as a RequestResponse event of a big list would be. */
    static String bigEvent(int n, int bytes) {
        String head = "{\"kind\":\"Event\",\"auditID\":\"big-" + n + "\",\"responseObject\":{\"items\":\"";
        return head + "y".repeat(bytes - head.length() - 3) + "\"}}";
    }

    @Test
    void aPartialLastLineWaitsForItsNewline() throws Exception {
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            lumberjack.write(Events.event(0));
            lumberjack.write(Events.event(1));
            String third = Events.event(2);
            lumberjack.writeRaw(third.substring(0, 25));
            try (RunningFollower f = RunningFollower.start(RunningFollower.settings(lumberjack.log,
                    StartPosition.BEGINNING), Optional.empty())) {
                f.consumer.awaitCount(2);
                lumberjack.writeRaw(third.substring(25, 60));
                lumberjack.writeRaw(third.substring(60) + "\n");
                lumberjack.write(Events.event(3));
                List<LogLine> lines = f.consumer.awaitCount(4);
                assertSameLines(Events.range(0, 4), texts(lines), f.listener.events());
                assertEquals(lines.get(1).endOffset(), lines.get(2).offset());
                assertEquals(Files.size(lumberjack.log), lines.get(3).endOffset());
            }
        }
    }

    @Test
    void aFiveMebibyteEventBetweenNormalOnesArrivesIntact() throws Exception {
        String big = bigEvent(1, 5 * 1024 * 1024);
        Path log = dir.resolve("audit.log");
        Files.write(log, List.of(Events.event(0), big, Events.event(2)));
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.empty())) {
            List<LogLine> lines = f.consumer.awaitCount(3);
            assertSameLines(List.of(Events.event(0), big, Events.event(2)), texts(lines), f.listener.events());
            assertArrayEquals(big.getBytes(StandardCharsets.UTF_8), lines.get(1).bytes());
        }
    }

    @Test
    void aLineOverTheLimitIsReportedAndSkippedAndTheFileGoesOn() throws Exception {
        String big = bigEvent(7, 1024 * 1024);
        Path log = dir.resolve("audit.log");
        Files.write(log, List.of(Events.event(0), big, Events.event(2), big, Events.event(4)));
        long bigOffset = Events.event(0).length() + 1;
        FollowerSettings settings = new FollowerSettings(log, StartPosition.BEGINNING, 64 * 1024,
                Duration.ofMillis(5), 8, 8192, Duration.ofMinutes(2));
        try (RunningFollower f = new RunningFollower(settings, Optional.empty(), new CollectingConsumer(),
                new RecordingListener(), InstantSource.system())) {
            List<LogLine> lines = f.consumer.awaitCount(3);
            assertSameLines(List.of(Events.event(0), Events.event(2), Events.event(4)), texts(lines),
                    f.listener.events());
            List<String> tooLong = f.listener.events("tooLong");
            assertEquals(2, tooLong.size(), tooLong.toString());
            assertEquals("tooLong " + log + " " + bigOffset + " " + big.length() + " " + big.substring(0, 40),
                    tooLong.get(0));
            assertEquals(bigOffset + big.length() + 1, lines.get(1).offset(), "offsets stay exact past a skipped line");
        }
    }

    @Test
    void closeStopsAFollowerBlockedHandingOnALine() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.write(log, Events.range(0, 3));
        CollectingConsumer consumer = new CollectingConsumer();
        consumer.holdAt(1);
        RunningFollower f = new RunningFollower(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.empty(), consumer, new RecordingListener(), InstantSource.system());
        consumer.awaitHolding();
        f.stop(); // returns only once run() has returned, without an error
        assertEquals(1, consumer.lines().size());
    }

    @Test
    void linesEndingInCarriageReturnKeepItAndOffsetsCountIt() throws Exception {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, "{\"a\":1}\r\n{\"b\":2}\n");
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(log, StartPosition.BEGINNING),
                Optional.empty())) {
            List<LogLine> lines = f.consumer.awaitCount(2);
            assertEquals(List.of("{\"a\":1}\r", "{\"b\":2}"), texts(lines));
            assertEquals(9, lines.get(1).offset());
            assertTrue(lines.get(0).file().sameContentAs(lines.get(1).file()));
        }
    }
}
