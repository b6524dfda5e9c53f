package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows the API server's audit log across rotations and hands every complete line downstream,
 * exactly once per run, in order, starting from a checkpoint (or the configured start).
 *
 * <p>The chain of files with unread log is kept by a {@link RotationTracker}, scanned by a
 * {@link PollingWatcher} thread; the file at its head is read by a {@link HeadReader} on the thread
 * that calls {@link #run()}. Memory is one read buffer plus at most one line being assembled: when
 * the consumer blocks, the follower waits and the log on disk is the buffer.
 */
public final class Follower implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final FollowerSettings settings;
    private final Optional<Checkpoint> resumeFrom;
    private final LineConsumer out;
    private final TailListener listener;
    private final InstantSource clock;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile Thread runner;

    public Follower(FollowerSettings settings, Optional<Checkpoint> resumeFrom, LineConsumer out, TailListener listener,
                    InstantSource clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.resumeFrom = Objects.requireNonNull(resumeFrom, "resumeFrom");
        this.out = Objects.requireNonNull(out, "out");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Follows the log until {@link #close()} (or an interrupt of this thread). Waits, and says so
     * through {@link TailListener#waiting}, while there is no log yet.
     *
     * @throws TailException when the log cannot be read at all (permissions, I/O errors)
     */
    public void run() throws TailException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Follower runs once; create a new one to follow again");
        }
        runner = Thread.currentThread();
        try {
            if (!closed) {
                follow();
            }
        } catch (InterruptedException | ClosedByInterruptException e) {
            // close() interrupts a reader blocked in the consumer or in a read; anyone else's
            // interrupt is a request to stop as well, and stays set for the caller.
            if (!closed) {
                closed = true;
                Thread.currentThread().interrupt();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                throw failure(e);
            }
        } finally {
            runner = null;
            if (closed) {
                // Our own interrupt from close(), arriving after the reader had already stopped.
                Thread.interrupted();
            }
            done.countDown();
        }
    }

    /** Stops {@link #run()} promptly, also while it is blocked in the consumer, and waits (boundedly) for it to return. */
    @Override
    public void close() {
        closed = true;
        Thread thread = runner;
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        thread.interrupt();
        try {
            done.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() throws IOException, InterruptedException, TailException {
        BackupNames names = new BackupNames(settings.logFile());
        try (RotationTracker tracker = new RotationTracker(names, listener, settings.maxOpenFiles())) {
            tracker.plan(resumeFrom, settings.start());
            try (PollingWatcher watcher = PollingWatcher.start(tracker, settings.pollInterval(),
                    settings.logFile().toString())) {
                HeadReader reader = new HeadReader(tracker, new LineEmitter(out, listener), listener, clock,
                        new HeadReader.Control() {
                            @Override
                            public boolean isStopping() {
                                return Follower.this.isStopping();
                            }

                            @Override
                            public void pause() throws InterruptedException {
                                Follower.this.pause();
                            }
                        }, settings);
                boolean reportedMissing = false;
                while (!isStopping()) {
                    if (watcher.failure().isPresent()) {
                        throw failure(watcher.failure().get());
                    }
                    Optional<RotationTracker.Head> head = tracker.openHead();
                    if (head.isPresent()) {
                        reader.read(head.get());
                        reportedMissing = false;
                        continue;
                    }
                    tracker.scan();
                    if (tracker.isEmpty() && !reportedMissing) {
                        reportedMissing = true;
                        listener.waiting(settings.logFile().toString(), "no audit log yet: the API server has not"
                                + " written one (auditing off, or not restarted yet)");
                    }
                    if (tracker.openHead().isEmpty()) {
                        pause();
                    }
                }
            }
        }
    }

    private boolean isStopping() {
        return closed || Thread.currentThread().isInterrupted();
    }

    private void pause() throws InterruptedException {
        Thread.sleep(settings.pollInterval().toMillis(), settings.pollInterval().toNanosPart() % 1_000_000);
    }

    private TailException failure(Exception e) {
        String hint = e instanceof AccessDeniedException
                ? "; the agent needs read access to " + settings.logFile().toAbsolutePath().getParent() + " and its files"
                : "";
        return new TailException("following " + settings.logFile() + " failed: " + e + hint, e);
    }
}
