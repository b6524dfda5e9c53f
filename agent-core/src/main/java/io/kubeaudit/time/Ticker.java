package io.kubeaudit.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The time the delivery path reads and every way it waits: sleeping, and waiting on a condition or a
 * monitor until a deadline. Deadlines are {@link #nanoTime()} values. The system ticker is the JDK's;
 * tests pass a fake whose time moves only when the test says (Kafka's MockTime), so a test checks
 * "still waiting", lets time pass and checks again, without a real sleep.
 *
 * <p>Both waits may return early (a signal or a spurious wakeup): callers loop on their own condition,
 * as they must with {@link Condition#awaitNanos} anyway.
 */
public interface Ticker extends WaitClock {

    long nanoTime();

    /**
     * Waits on {@code condition}, whose lock the caller holds, until it is signalled or {@code deadlineNanos}.
     *
     * @return false when the deadline has passed
     */
    boolean awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException;

    /**
     * {@link Object#wait} on {@code monitor}, which the caller holds, until notified or {@code deadlineNanos}.
     *
     * @return false when the deadline has passed
     */
    boolean waitUntil(Object monitor, long deadlineNanos) throws InterruptedException;

    /** The deadline {@code after} from now; saturates instead of overflowing for very long durations. */
    default long deadline(Duration after) {
        long now = nanoTime();
        long nanos = after.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : after.toNanos();
        return now + nanos;
    }

    /** How long until {@code deadlineNanos}, never negative. */
    default Duration left(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - nanoTime()));
    }

    /**
     * Waits for {@code thread} to end, until {@code deadlineNanos}; the thread is looked at in short
     * slices so the deadline is the ticker's, not the wall clock's.
     *
     * @return true when the thread ended
     */
    default boolean join(Thread thread, long deadlineNanos) throws InterruptedException {
        while (thread.isAlive()) {
            long left = deadlineNanos - nanoTime();
            if (left <= 0) {
                return false;
            }
            thread.join(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 20)));
        }
        return true;
    }

    static Ticker system() {
        return SystemTicker.INSTANCE;
    }

    /** The JDK's clocks and waits. */
    final class SystemTicker implements Ticker {

        private static final SystemTicker INSTANCE = new SystemTicker();

        private SystemTicker() {
        }

        @Override
        public Instant instant() {
            return Instant.now();
        }

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            }
        }

        @Override
        public boolean awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            condition.awaitNanos(left);
            return true;
        }

        @Override
        public boolean waitUntil(Object monitor, long deadlineNanos) throws InterruptedException {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(monitor, left);
            return true;
        }
    }
}
