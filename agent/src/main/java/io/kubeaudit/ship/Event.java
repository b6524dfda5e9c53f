package io.kubeaudit.ship;

import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.LogLine;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One audit line on its way to the destinations. The line's bytes are shared by every destination and
 * never copied; the event counts the destinations still holding it so that its memory is given back to
 * the {@link EventQueue} budget exactly once, when the last of them is done with it.
 */
final class Event {

    /** Bytes an event costs beyond its line: this object, the LogLine, its array header and queue slots. */
    static final int OVERHEAD_BYTES = 160;

    private static final AtomicIntegerFieldUpdater<Event> HOLDERS = AtomicIntegerFieldUpdater.newUpdater(Event.class, "holders");

    final long sequence;
    final LogLine line;
    final long readAtMillis;
    private volatile int holders;
    /** Where annotations go; the same for every destination, so the first to need it computes it. */
    private volatile Placement placement;

    Event(long sequence, LogLine line, long readAtMillis) {
        this.sequence = sequence;
        this.line = line;
        this.readAtMillis = readAtMillis;
    }

    byte[] bytes() {
        return line.bytes();
    }

    /** Bytes of log this line covers (its newline included), for lag in bytes. */
    long logBytes() {
        return line.endOffset() - line.offset();
    }

    /** One acknowledgement range for just this event. */
    AckTracker.Range range() {
        return new AckTracker.Range(sequence, sequence, logBytes(), end());
    }

    long cost() {
        return (long) line.bytes().length + OVERHEAD_BYTES;
    }

    /** The checkpoint that is safe to save once this line and every line before it are acknowledged. */
    Checkpoint end() {
        return line.checkpoint();
    }

    void holdFor(int destinations) {
        holders = destinations;
    }

    /** @return true when the last destination let go of it */
    boolean letGo() {
        int left = HOLDERS.decrementAndGet(this);
        if (left < 0) {
            throw new IllegalStateException("event " + sequence + " was let go more often than it was handed out");
        }
        return left == 0;
    }

    Placement placement() throws InvalidEventException {
        Placement p = placement;
        if (p == null) {
            p = AnnotationLocator.locate(line.bytes());
            placement = p;
        }
        return p;
    }
}
