package io.kubeaudit.daemon;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Events per second over roughly the last {@link #WINDOW_MILLIS}, from samples of a growing total.
 * Guarded by {@code this}; samples come from the status timer.
 */
final class RateMeter {

    static final long WINDOW_MILLIS = 60_000;

    private record Sample(long atMillis, long total) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Records {@code total} at {@code nowMillis} and returns the rate since the oldest sample in the window. */
    synchronized double update(long nowMillis, long total) {
        if (!samples.isEmpty() && total < samples.peekLast().total()) {
            // The total restarted (a new pipeline after a reload): the old samples no longer apply.
            samples.clear();
        }
        samples.addLast(new Sample(nowMillis, total));
        while (samples.size() > 2 && nowMillis - samples.peekFirst().atMillis() > WINDOW_MILLIS) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        long elapsed = nowMillis - first.atMillis();
        return elapsed <= 0 ? 0 : (total - first.total()) * 1000.0 / elapsed;
    }
}
