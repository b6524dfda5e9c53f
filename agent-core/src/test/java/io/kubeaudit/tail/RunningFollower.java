package io.kubeaudit.tail;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A follower running on its own thread, stopped and checked by {@link #stop()}. */
final class RunningFollower implements AutoCloseable {

    final CollectingConsumer consumer;
    final RecordingListener listener;
    private final Follower follower;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    RunningFollower(FollowerSettings settings, Optional<Checkpoint> resume, CollectingConsumer consumer,
                    RecordingListener listener, InstantSource clock) {
        this.consumer = consumer;
        this.listener = listener;
        this.follower = new Follower(settings, resume, consumer, listener, clock);
        this.thread = new Thread(() -> {
            try {
                follower.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "test-follower");
        thread.start();
    }

    static RunningFollower start(FollowerSettings settings, Optional<Checkpoint> resume) {
        return new RunningFollower(settings, resume, new CollectingConsumer(), new RecordingListener(),
                InstantSource.system());
    }

    /** Small buffers and a short poll interval: lines span reads, rotations are seen quickly. */
    static FollowerSettings settings(Path log, StartPosition start) {
        return new FollowerSettings(log, start, FollowerSettings.DEFAULT_MAX_LINE_BYTES, Duration.ofMillis(5), 8,
                8192, Duration.ofMinutes(2));
    }

    /** Closes the follower, waits for run() to return and rethrows anything it threw. */
    void stop() throws Exception {
        follower.close();
        thread.join(CollectingConsumer.WAIT_MILLIS);
        assertFalse(thread.isAlive(), "run() did not return after close()");
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
