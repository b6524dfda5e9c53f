package io.kubeaudit.ship;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * When lines were read, sampled (one mark per {@link #SAMPLE_MILLIS}), so that lag in seconds (how
 * long the oldest unacknowledged line has been waiting) costs nothing per event. Marks no destination
 * needs any more are dropped ({@link #forgetBefore}), so memory grows with the lag in seconds only
 * (ten marks a second).
 */
final class ReadClock {

    static final long SAMPLE_MILLIS = 100;

    private record Mark(long sequence, long millis) {
    }

    // Guarded by this.
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private long lastMarkMillis = Long.MIN_VALUE;
    private long nextSequence;

    /** Called by the reader for every line, in sequence order. */
    synchronized void read(long sequence, long nowMillis) {
        nextSequence = sequence + 1;
        if (marks.isEmpty() || nowMillis - lastMarkMillis >= SAMPLE_MILLIS) {
            marks.addLast(new Mark(sequence, nowMillis));
            lastMarkMillis = nowMillis;
        }
    }

    /**
     * Seconds since line {@code oldestUnacknowledged} was read (to within one sample); 0 when every
     * line read is acknowledged.
     */
    synchronized double lagSeconds(long oldestUnacknowledged, long nowMillis) {
        if (oldestUnacknowledged >= nextSequence) {
            return 0;
        }
        Mark readAt = null;
        for (Mark m : marks) {
            if (m.sequence() > oldestUnacknowledged) {
                break;
            }
            readAt = m;
        }
        if (readAt == null) {
            readAt = marks.peekFirst();
        }
        return readAt == null ? 0 : Math.max(0, nowMillis - readAt.millis()) / 1000.0;
    }

    /** No destination waits for a line before {@code sequence} any more: keep only the marks still needed. */
    synchronized void forgetBefore(long sequence) {
        while (marks.size() > 1) {
            Iterator<Mark> it = marks.iterator();
            it.next();
            if (it.next().sequence() > sequence) {
                break;
            }
            marks.pollFirst();
        }
    }
}
