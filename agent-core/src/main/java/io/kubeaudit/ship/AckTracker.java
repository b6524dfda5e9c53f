package io.kubeaudit.ship;

import io.kubeaudit.tail.Checkpoint;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one place that decides how far a destination's checkpoint may go. Every sequence number the
 * intake hands out is acknowledged exactly once, by whoever finished it (a delivered or dead-lettered
 * batch, the intake itself for an invalid or already-delivered line), in any order. The checkpoint
 * moves only over the contiguous acknowledged prefix: one slow batch holds it back however many later
 * ones were acknowledged, so a crash never skips an event that is still in flight.
 */
final class AckTracker {

    /**
     * Sequences {@code first..last} (inclusive) holding {@code bytes} of log; {@code end} is the
     * checkpoint just after {@code last}.
     */
    record Range(long first, long last, long bytes, Checkpoint end) {
        Range {
            if (first > last || first < 0) {
                throw new IllegalArgumentException("bad sequence range " + first + ".." + last);
            }
        }
    }

    /** Every sequence up to {@code lastSequence} is acknowledged; {@code checkpoint} is safe to save. */
    record Position(long lastSequence, Checkpoint checkpoint) {
    }

    private final String destination;
    private final Runnable onAdvance;
    // Guarded by this.
    private long next;
    private Checkpoint checkpoint;
    private long acknowledgedBytes;
    private final TreeMap<Long, Range> ahead = new TreeMap<>();

    /** @param onAdvance called (outside the lock) each time the prefix grows */
    AckTracker(String destination, Runnable onAdvance) {
        this.destination = destination;
        this.onAdvance = onAdvance;
    }

    void acknowledge(Range range) {
        if (record(range)) {
            onAdvance.run();
        }
    }

    private synchronized boolean record(Range range) {
        if (range.first() < next) {
            throw new IllegalStateException(destination + ": sequences " + range.first() + ".." + range.last()
                    + " acknowledged twice (everything below " + next + " already was)");
        }
        Map.Entry<Long, Range> below = ahead.floorEntry(range.first());
        Map.Entry<Long, Range> above = ahead.ceilingEntry(range.first());
        if ((below != null && below.getValue().last() >= range.first()) || (above != null && above.getKey() <= range.last())) {
            throw new IllegalStateException(destination + ": sequences " + range.first() + ".." + range.last() + " acknowledged twice");
        }
        acknowledgedBytes += range.bytes();
        if (range.first() != next) {
            ahead.put(range.first(), range);
            return false;
        }
        Range r = range;
        while (r != null) {
            next = r.last() + 1;
            checkpoint = r.end();
            r = ahead.remove(next);
        }
        return true;
    }

    /** The lowest sequence not yet acknowledged. */
    synchronized long nextUnacknowledged() {
        return next;
    }

    /** Empty until the first sequence is acknowledged. */
    synchronized Optional<Position> position() {
        return checkpoint == null ? Optional.empty() : Optional.of(new Position(next - 1, checkpoint));
    }

    /** Log bytes acknowledged so far, in or out of order. */
    synchronized long acknowledgedBytes() {
        return acknowledgedBytes;
    }

    /** Acknowledged ranges waiting for an earlier one: the out-of-order backlog. */
    synchronized int rangesAhead() {
        return ahead.size();
    }

    String destination() {
        return destination;
    }
}
