package io.kubeaudit.tail;

import static io.kubeaudit.tail.LineAssertions.assertSameLines;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random writes, rotations (plain and compressed), compressions of older backups, truncations,
 * consumer stalls and restarts from a random acknowledged line, checked against the simplest
 * model: the lines written, in order. Each run must hand on exactly the lines after its
 * checkpoint, in order: nothing lost, nothing twice.
 */
class FollowerModelTest {

    private static final int OPERATIONS = 160;

    @TempDir
    Path dir;

    private final List<String> written = new ArrayList<>();
    /** Per written line, for failure messages: its file (rotations before it) and offset. */
    private final List<String> where = new ArrayList<>();
    private final List<String> operations = new ArrayList<>();
    private Lumberjack lumberjack;
    private CheckpointStore store;
    private RunningFollower follower;
    /** Global index of the first line the current run must hand on. */
    private int runStart;
    /** A restart's checkpoint must lie after this line index (lines before were truncated away). */
    private int ackFloor;
    private int nextEvent;

    @ParameterizedTest
    @ValueSource(longs = {11, 23, 47, 61, 89, 97})
    void concatenatedOutputEqualsTheWrittenLines(long seed) throws Exception {
        Random random = new Random(seed);
        store = new CheckpointStore(dir.resolve("state").resolve("checkpoint.json"));
        try (Lumberjack writer = new Lumberjack(Files.createDirectory(dir.resolve("log")), 2000 + random.nextInt(6000))) {
            lumberjack = writer;
            start();
            for (int op = 0; op < OPERATIONS; op++) {
                int pick = random.nextInt(100);
                operations.add(pick + "@" + written.size());
                if (pick < 50) {
                    writeLines(1 + random.nextInt(15));
                } else if (pick < 58) {
                    writeInTwoParts(random);
                } else if (pick < 66) {
                    lumberjack.compress = random.nextBoolean();
                    lumberjack.rotate();
                } else if (pick < 71) {
                    compressAnOlderBackup(random);
                } else if (pick < 75) {
                    truncate();
                } else if (pick < 83) {
                    follower.consumer.holdAt(received() + random.nextInt(30));
                } else if (pick < 88) {
                    follower.consumer.release();
                } else {
                    restart(random);
                }
            }
            follower.consumer.release();
            List<LogLine> lines = follower.consumer.awaitCount(written.size() - runStart);
            check(lines);
            follower.stop();
            check(follower.consumer.lines());
        }
    }

    private void start() {
        Optional<Checkpoint> checkpoint;
        try {
            checkpoint = store.load();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        FollowerSettings settings = new FollowerSettings(lumberjack.log, StartPosition.BEGINNING,
                FollowerSettings.DEFAULT_MAX_LINE_BYTES, Duration.ofMillis(3), 3, 4096, Duration.ofMinutes(2));
        follower = new RunningFollower(settings, checkpoint, new CollectingConsumer(), new RecordingListener(),
                InstantSource.system());
    }

    private int received() {
        return follower.consumer.lines().size();
    }

    private void writeLines(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String line = Events.event(nextEvent++);
            lumberjack.makeRoomFor(line.length() + 1);
            where.add("#" + (nextEvent - 1) + "@" + lumberjack.rotations + ":" + lumberjack.size());
            lumberjack.write(line);
            written.add(line);
        }
    }

    private void writeInTwoParts(Random random) throws Exception {
        String line = Events.event(nextEvent++);
        lumberjack.makeRoomFor(line.length() + 1);
        where.add("#" + (nextEvent - 1) + "@" + lumberjack.rotations + ":" + lumberjack.size() + " in 2 parts");
        int cut = 1 + random.nextInt(line.length() - 1);
        lumberjack.writeRaw(line.substring(0, cut));
        Thread.onSpinWait();
        lumberjack.writeRaw(line.substring(cut) + "\n");
        written.add(line);
    }

    private void compressAnOlderBackup(Random random) throws Exception {
        List<Path> plain = lumberjack.backups().stream().filter(p -> p.toString().endsWith(".log")).toList();
        if (!plain.isEmpty()) {
            Lumberjack.compress(plain.get(random.nextInt(plain.size())));
        }
    }

    /** Truncation in place loses whatever was not read yet: the model lets the follower catch up first. */
    private void truncate() throws Exception {
        follower.consumer.release();
        check(follower.consumer.awaitCount(written.size() - runStart));
        lumberjack.truncate();
        ackFloor = written.size() + 1;
    }

    /** Stops the follower as if killed after acknowledging a random prefix of what it handed on. */
    private void restart(Random random) throws Exception {
        List<LogLine> lines = follower.consumer.lines();
        int receivedUpTo = runStart + lines.size();
        int lowest = Math.max(runStart, ackFloor);
        if (receivedUpTo < lowest) {
            return;
        }
        follower.stop();
        lines = follower.consumer.lines();
        check(lines);
        receivedUpTo = runStart + lines.size();
        int acknowledged = lowest + random.nextInt(receivedUpTo - lowest + 1);
        if (acknowledged > runStart) {
            store.save(lines.get(acknowledged - runStart - 1).checkpoint());
            runStart = acknowledged;
        }
        start();
    }

    private void check(List<LogLine> lines) {
        int end = Math.min(written.size(), runStart + lines.size());
        List<String> texts = CollectingConsumer.texts(lines);
        int first = 0;
        while (first < end - runStart && written.get(runStart + first).equals(texts.get(first))) {
            first++;
        }
        List<String> read = lines.subList(Math.max(0, first - 3), Math.min(lines.size(), first + 3)).stream()
                .map(l -> LineAssertions.shorten(CollectingConsumer.text(l)) + "@" + l.path() + ":" + l.offset()).toList();
        List<String> wrote = where.subList(Math.max(0, runStart + first - 3), Math.min(where.size(), runStart + first + 15));
        assertSameLines(written.subList(runStart, end), texts, "run from line " + runStart + "; read " + read
                + "; written " + wrote + "; operations (pick@lines) " + operations + "; " + follower.listener.events());
    }
}
