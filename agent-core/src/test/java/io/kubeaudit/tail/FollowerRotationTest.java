package io.kubeaudit.tail;

import static io.kubeaudit.tail.CollectingConsumer.texts;
import static io.kubeaudit.tail.LineAssertions.assertSameLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FollowerRotationTest {

    @TempDir
    Path dir;

    /** What happens to the backup while the follower is held in the middle of it. */
    enum Fate { RENAMED, COMPRESSED, DELETED }

    @ParameterizedTest
    @ValueSource(strings = {"RENAMED", "COMPRESSED", "DELETED"})
    void theOpenFileIsReadToItsEndThroughItsDescriptor(String fateName) throws Exception {
        Fate fate = Fate.valueOf(fateName);
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            for (String e : Events.range(0, 5)) {
                lumberjack.write(e);
            }
            CollectingConsumer consumer = new CollectingConsumer();
            consumer.holdAt(2);
            try (RunningFollower f = new RunningFollower(RunningFollower.settings(lumberjack.log, StartPosition.BEGINNING),
                    Optional.empty(), consumer, new RecordingListener(), java.time.InstantSource.system())) {
                consumer.awaitHolding();
                for (String e : Events.range(5, 8)) {
                    lumberjack.write(e);
                }
                Path backup = lumberjack.renameAndReopen();
                switch (fate) {
                    case RENAMED -> { }
                    case COMPRESSED -> Lumberjack.compress(backup);
                    case DELETED -> Files.delete(backup);
                }
                for (String e : Events.range(8, 12)) {
                    lumberjack.write(e);
                }
                consumer.release();
                List<LogLine> lines = consumer.awaitCount(12);
                assertSameLines(Events.range(0, 12), texts(lines), f.listener.events());
                assertEquals(LongStream.range(0, 12).boxed().toList(), lines.stream().map(LogLine::sequence).toList());
                f.listener.await("rotation", e -> e.startsWith("rotated " + lumberjack.log + " -> "));
                assertTrue(f.listener.events("opened").stream().noneMatch(e -> e.endsWith(" gz")),
                        "the held descriptor is read, never the .gz: " + f.listener.events());
                assertEquals(List.of(), f.listener.events("lost"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void severalRotationsWhileLaggingLoseNoLine(boolean compress) throws Exception {
        int count = 1500;
        try (Lumberjack lumberjack = new Lumberjack(dir, 4096)) {
            lumberjack.compress = compress;
            lumberjack.write(Events.event(0));
            lumberjack.write(Events.event(1));
            CollectingConsumer consumer = new CollectingConsumer();
            consumer.holdAt(1);
            try (RunningFollower f = new RunningFollower(RunningFollower.settings(lumberjack.log, StartPosition.BEGINNING),
                    Optional.empty(), consumer, new RecordingListener(), java.time.InstantSource.system())) {
                consumer.awaitHolding();
                for (String e : Events.range(2, count)) {
                    lumberjack.write(e);
                }
                assertTrue(lumberjack.backups().size() > 100, "a burst of rotations: " + lumberjack.backups().size());
                consumer.release();
                List<LogLine> got = consumer.awaitCount(count);
                assertSameLines(Events.range(0, count), texts(got), got.stream()
                        .map(l -> LineAssertions.shorten(CollectingConsumer.text(l)) + "@" + l.path().replaceAll(".*/", "") + ":" + l.offset()).toList()
                        + "\n" + f.listener.events());
                assertEquals(List.of(), f.listener.events("lost"));
                if (compress) {
                    assertTrue(f.listener.events("opened").stream().anyMatch(e -> e.endsWith(" gz")),
                            "backups compressed before they were opened are read from the .gz");
                }
            }
        }
    }

    @Test
    void anIncompleteGzipIsNotReadUntilItsTrailerIsWritten() throws Exception {
        Path gz;
        byte[] whole;
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            Files.write(lumberjack.log, Events.range(0, 4));
            Path backup = lumberjack.renameAndReopen();
            for (String e : Events.range(4, 6)) {
                lumberjack.write(e);
            }
            whole = Lumberjack.gzip(Files.readAllBytes(backup));
            gz = Lumberjack.compressPartially(backup, whole.length / 2);
            Files.delete(backup);
        }
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(dir.resolve("audit.log"),
                StartPosition.BEGINNING), Optional.empty())) {
            f.listener.await("waiting for the gzip", e -> e.startsWith("waiting " + gz + " "));
            assertEquals(List.of(), f.consumer.lines(), "nothing may be read before the older file");
            // The compressor finishes writing in place.
            Files.write(gz, Arrays.copyOfRange(whole, (int) Files.size(gz), whole.length), StandardOpenOption.APPEND);
            assertSameLines(Events.range(0, 6), texts(f.consumer.awaitCount(6)), f.listener.events());
            assertEquals(List.of(), f.listener.events("lost"));
        }
    }

    @Test
    void aGzipThatStaysIncompleteIsGivenUpAsLostAfterTheGracePeriod() throws Exception {
        Path gz;
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            Files.write(lumberjack.log, Events.range(0, 4));
            Path backup = lumberjack.renameAndReopen();
            lumberjack.write(Events.event(4));
            gz = Lumberjack.compressPartially(backup, 100);
            Files.delete(backup);
        }
        ManualClock clock = new ManualClock();
        try (RunningFollower f = new RunningFollower(RunningFollower.settings(dir.resolve("audit.log"),
                StartPosition.BEGINNING), Optional.empty(), new CollectingConsumer(), new RecordingListener(), clock)) {
            f.listener.await("waiting for the gzip", e -> e.startsWith("waiting " + gz + " "));
            clock.advance(Duration.ofMinutes(3));
            assertSameLines(List.of(Events.event(4)), texts(f.consumer.awaitCount(1)), f.listener.events());
            long size = Files.size(gz);
            String lost = f.listener.await("lost", e -> e.startsWith("lost " + gz + " " + size + " "));
            assertTrue(lost.contains("stayed incomplete"), lost);
        }
    }

    @Test
    void aCorruptGzipIsReportedLostAndTheNextFileRead() throws Exception {
        Path gz;
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            Files.write(lumberjack.log, Events.range(0, 4));
            Path backup = lumberjack.renameAndReopen();
            lumberjack.write(Events.event(4));
            gz = Lumberjack.compress(backup);
        }
        byte[] bytes = Files.readAllBytes(gz);
        bytes[bytes.length - 6] ^= 0x55; // the CRC no longer matches
        Files.write(gz, bytes);
        try (RunningFollower f = RunningFollower.start(RunningFollower.settings(dir.resolve("audit.log"),
                StartPosition.BEGINNING), Optional.empty())) {
            assertSameLines(List.of(Events.event(4)), texts(f.consumer.awaitCount(1)), f.listener.events());
            String lost = f.listener.await("lost", e -> e.startsWith("lost " + gz + " "));
            assertTrue(lost.contains("corrupt"), lost);
        }
    }

    @Test
    void backupsDeletedBeforeTheyWereReadAndNotHeldOpenAreReportedLost() throws Exception {
        List<Path> backups;
        try (Lumberjack lumberjack = new Lumberjack(dir, 1 << 20)) {
            int n = 0;
            for (int file = 0; file < 4; file++) {
                for (int i = 0; i < 3; i++) {
                    lumberjack.write(Events.event(n++));
                }
                lumberjack.renameAndReopen();
            }
            for (int i = 0; i < 3; i++) {
                lumberjack.write(Events.event(n++));
            }
            backups = lumberjack.backups();
        }
        FollowerSettings settings = new FollowerSettings(dir.resolve("audit.log"), StartPosition.BEGINNING,
                FollowerSettings.DEFAULT_MAX_LINE_BYTES, Duration.ofMillis(5), 2, 8192, Duration.ofMinutes(2));
        CollectingConsumer consumer = new CollectingConsumer();
        consumer.holdAt(1);
        try (RunningFollower f = new RunningFollower(settings, Optional.empty(), consumer, new RecordingListener(),
                java.time.InstantSource.system())) {
            consumer.awaitHolding();
            // Two files held (the one being read and the next): the other two backups are not (the live
            // log joins once there is room).
            assertEquals(List.of("limit " + backups.get(2) + " 2", "limit " + backups.get(3) + " 2"),
                    f.listener.events("limit"));
            long size2 = Files.size(backups.get(2));
            long size3 = Files.size(backups.get(3));
            Files.delete(backups.get(2));
            Files.delete(backups.get(3));
            f.listener.await("lost", e -> e.startsWith("lost " + backups.get(2) + " " + size2 + " deleted before it was read"));
            f.listener.await("lost", e -> e.startsWith("lost " + backups.get(3) + " " + size3 + " deleted before it was read"));
            consumer.release();
            List<String> expected = Events.range(0, 6);
            expected = new java.util.ArrayList<>(expected);
            expected.addAll(Events.range(12, 15));
            assertSameLines(expected, texts(consumer.awaitCount(9)), f.listener.events());
        }
    }
}
