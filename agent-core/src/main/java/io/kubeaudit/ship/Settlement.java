package io.kubeaudit.ship;

import io.kubeaudit.log.Log;
import io.kubeaudit.tail.LogLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place an event's fate is settled for one destination. Delivered, dead-lettered (synced to
 * the dead-letter file first, with its reason) or passed (nothing to send: already
 * delivered before a restart, not an audit event): each acknowledges the events to the destination's
 * {@link AckTracker}, gives their memory back to the {@link EventQueue} and counts them. Abandoned
 * (shutdown came first) only gives the memory back: unacknowledged, the events are read again after
 * the restart. Every event is settled exactly once; the tracker refuses a second acknowledgement.
 */
final class Settlement {

    /** Why events go to the dead-letter file, for {@code events_dead_lettered_total{reason}}. */
    enum DeadLetterCause {
        /** The destination refused them. */
        REJECTED,
        /** They cannot be sent at all: invalid JSON, too large even trimmed. */
        UNSENDABLE
    }

    private final String destination;
    private final AckTracker tracker;
    private final EventQueue queue;
    private final DeadLetterFile deadLetters;
    private final DestinationMetrics metrics;
    private final InFlightLimiter limiter;
    private final Log log;

    Settlement(String destination, AckTracker tracker, EventQueue queue, DeadLetterFile deadLetters, DestinationMetrics metrics,
               InFlightLimiter limiter, Log log) {
        this.destination = destination;
        this.tracker = tracker;
        this.queue = queue;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.limiter = limiter;
        this.log = log;
    }

    /** The destination took the whole batch. */
    void delivered(Batch b) {
        b.complete(Batch.State.DELIVERED);
        acknowledge(b);
        metrics.batchesDelivered.inc();
        metrics.eventsShipped.add(b.size());
        metrics.bytesShipped.add(b.bytes());
        metrics.eventsTrimmed.add(b.trimmedCount());
    }

    /** The whole batch goes to the dead-letter file with one reason (and the destination's answer, if any). */
    void deadLettered(Batch b, DeadLetterCause cause, String reason, String response) throws IOException {
        List<DeadLetterFile.Entry> entries = new ArrayList<>(b.size());
        for (PreparedEvent e : b.events()) {
            entries.add(DeadLetterFile.Entry.of(e.event().line, reason, response));
        }
        deadLettered(b, cause, entries);
    }

    /** The batch goes to the dead-letter file, each event with its own reason ({@code entries} in the batch's order). */
    void deadLettered(Batch b, DeadLetterCause cause, List<DeadLetterFile.Entry> entries) throws IOException {
        deadLetters.write(entries);
        b.complete(Batch.State.DEAD_LETTERED);
        acknowledge(b);
        metrics.batchesDeadLettered.inc();
        counter(cause).add(b.size());
        log.errorLimited("ship/send", "events dead-lettered", destination, "destination", destination,
                "cause", cause.name().toLowerCase(java.util.Locale.ROOT), "reason", entries.get(0).reason(), "events", b.size(),
                "file", entries.get(0).path(), "offset", entries.get(0).offset(), "deadLetterFile", deadLetters.path());
    }

    /** An event the batcher could not prepare for this destination, never part of a batch. */
    void unsendable(Event e, String reason) throws IOException {
        deadLetters.write(List.of(DeadLetterFile.Entry.of(e.line, reason, "")));
        tracker.acknowledge(e.range());
        queue.release(List.of(e));
        metrics.eventsUnsendable.inc();
        log.warnLimited("ship/send", "event cannot be sent; dead-lettered", destination, "destination", destination,
                "reason", reason, "file", e.line.path(), "offset", e.line.offset(), "deadLetterFile", deadLetters.path());
    }

    /** Nothing to send: the destination had the line before the restart, or it is not an event; nothing was queued for it. */
    void passed(long sequence, LogLine line) {
        tracker.acknowledge(range(sequence, line));
    }

    /** Shutdown came first: memory given back, nothing acknowledged. */
    void abandoned(Batch b) {
        if (b.state() == Batch.State.OPEN) {
            b.complete(Batch.State.ABANDONED);
            queue.release(b.heldEvents(), b.heldCost());
        }
    }

    /**
     * A line no destination can use: kept once in {@code invalid.ndjson}, then passed for every
     * destination. Acknowledging a line that was neither shipped nor kept would lose it, so a failed
     * write stops the pipeline instead.
     */
    static void invalidLine(long sequence, LogLine line, String why, DeadLetterFile invalidLines, Metrics.Counter counter,
                            List<Settlement> all) throws IOException {
        invalidLines.write(List.of(DeadLetterFile.Entry.of(line, why, "")));
        counter.inc();
        for (Settlement s : all) {
            s.passed(sequence, line);
        }
    }

    private void acknowledge(Batch b) {
        List<AckTracker.Range> ranges = b.ranges();
        limiter.acknowledged(ranges.get(ranges.size() - 1).last());
        for (AckTracker.Range r : ranges) {
            tracker.acknowledge(r);
        }
        queue.release(b.heldEvents(), b.heldCost());
    }

    private Metrics.Counter counter(DeadLetterCause cause) {
        return cause == DeadLetterCause.REJECTED ? metrics.eventsRejected : metrics.eventsUnsendable;
    }

    private static AckTracker.Range range(long sequence, LogLine line) {
        return new AckTracker.Range(sequence, sequence, line.endOffset() - line.offset(), line.checkpoint());
    }

    DeadLetterFile deadLetters() {
        return deadLetters;
    }
}
