package io.kubeaudit.ship;

import io.kubeaudit.ship.sink.AuditFields;
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
    /** Set by {@link #locateAnnotations} before the event is queued (the queue's lock publishes it). */
    private InvalidEventException unsendable;
    /** Read on first use (a filter, a destination keying by auditID); the same for every destination. */
    private volatile AuditFields fields;

    /** Kept here, from the reader's thread: batchers and senders then need not touch the line to size it. */
    private final int length;

    Event(long sequence, LogLine line, long readAtMillis) {
        this.sequence = sequence;
        this.line = line;
        this.readAtMillis = readAtMillis;
        this.length = line.bytes().length;
    }

    byte[] bytes() {
        return line.bytes();
    }

    /** Bytes of log this line covers (its newline included), for lag in bytes. */
    long logBytes() {
        return length + 1L;
    }

    /** Bytes of the line itself (no newline). */
    int length() {
        return length;
    }

    /** One acknowledgement range for just this event. */
    AckTracker.Range range() {
        return new AckTracker.Range(sequence, sequence, logBytes(), end());
    }

    long cost() {
        return (long) length + OVERHEAD_BYTES;
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

    /** The fields destinations and filters read; parsed once, by the first thread that needs them. */
    AuditFields fields() {
        AuditFields f = fields;
        if (f == null) {
            f = AuditFields.read(line.bytes());
            fields = f;
        }
        return f;
    }

    /** For the intake, which parses them first when it checks the line is an audit event. */
    void fields(AuditFields known) {
        fields = known;
    }

    /**
     * Works out {@link #placement} on the reader's thread, which has just copied the line and still has
     * its end in cache; on a batcher's thread the same scan waits for memory. An event it finds unsendable
     * keeps the reason, and its batcher dead-letters it.
     */
    void locateAnnotations() {
        try {
            placement();
        } catch (InvalidEventException e) {
            unsendable = e;
        }
    }

    Placement placement() throws InvalidEventException {
        Placement p = placement;
        if (p == null) {
            if (unsendable != null) {
                throw unsendable;
            }
            p = AnnotationLocator.locate(line.bytes());
            placement = p;
        }
        return p;
    }
}
