package io.kubeaudit.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Time that moves only when a test says so ({@link #advance}), like Kafka's MockTime. A thread that
 * sleeps blocks until the test has advanced past its wake-up time; {@link #awaitSleepers} lets the
 * test wait until the code under test is sleeping, then check what it is waiting for. With
 * {@link #autoAdvance} a sleep moves time instead of blocking (for tests that only count the waits).
 *
 * <p>Condition and monitor waits wake every millisecond of real time to look at the fake time (a fake
 * cannot signal a lock it does not hold); to the caller that is a spurious wakeup, which it handles anyway.
 */
public final class FakeTicker implements Ticker {

    private static final long POLL_MILLIS = 1;
    private static final Duration TEST_BOUND = Duration.ofSeconds(20);

    private final Instant start;
    private final boolean autoAdvance;
    // Guarded by this.
    private long nanos;
    private final List<Long> sleeping = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();

    private FakeTicker(Instant start, boolean autoAdvance) {
        this.start = start;
        this.autoAdvance = autoAdvance;
    }

    /** Sleeps block until the test advances time. */
    public static FakeTicker manual() {
        return new FakeTicker(Instant.parse("2026-11-26T12:00:00Z"), false);
    }

    /** Sleeps return at once and move time by what they asked for. */
    public static FakeTicker autoAdvance() {
        return new FakeTicker(Instant.parse("2026-11-26T12:00:00Z"), true);
    }

    @Override
    public synchronized Instant instant() {
        return start.plusNanos(nanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        synchronized (this) {
            sleeps.add(duration);
            if (autoAdvance) {
                nanos += Math.max(0, duration.toNanos());
                notifyAll();
                return;
            }
            Long wakeAt = nanos + Math.max(0, duration.toNanos());
            sleeping.add(wakeAt);
            notifyAll();
            try {
                while (nanos < wakeAt) {
                    wait();
                }
            } finally {
                sleeping.remove(wakeAt);
            }
        }
    }

    @Override
    public boolean awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException {
        if (nanoTime() >= deadlineNanos) {
            return false;
        }
        condition.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public boolean waitUntil(Object monitor, long deadlineNanos) throws InterruptedException {
        if (nanoTime() >= deadlineNanos) {
            return false;
        }
        monitor.wait(POLL_MILLIS);
        return true;
    }

    public synchronized void advance(Duration d) {
        nanos += d.toNanos();
        notifyAll();
    }

    /** Every sleep asked for so far, in order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /**
     * Waits (in real time, bounded) until {@code count} threads sleep on this ticker.
     *
     * @return how long each sleeper still has to sleep, shortest first
     */
    public synchronized List<Duration> awaitSleepers(int count) throws InterruptedException {
        long realDeadline = System.nanoTime() + TEST_BOUND.toNanos();
        while (sleeping.size() < count) {
            long left = realDeadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " sleeping threads, found " + sleeping.size() + " after " + TEST_BOUND);
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
        return sleeping.stream().sorted().map(at -> Duration.ofNanos(at - nanos)).toList();
    }

    public synchronized int sleepers() {
        return sleeping.size();
    }
}
