package io.kubeaudit.ship;

import io.kubeaudit.log.Log;
import io.kubeaudit.ship.sink.AuditFields;
import io.kubeaudit.tail.LineConsumer;
import io.kubeaudit.tail.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the follower hands over lines, on the reader thread. Numbers each line (the pipeline's own
 * sequence, contiguous from 0, the basis of every acknowledgement), sends a line that is not an audit
 * event (not a JSON object, or some other object) to {@code invalid.ndjson} (settled at once: nothing
 * downstream can use it), skips lines a destination already had before the restart, and puts the rest
 * into the queue, blocking while the memory budget is used up. That block is the backpressure the follower sees.
 */
final class LineIntake implements LineConsumer {

    private final EventQueue queue;
    private final List<Settlement> settlements;
    private final List<EventQueue.Lane> allLanes;
    private final ReplayFilter[] filters;
    private final DeadLetterFile invalidLines;
    private final ReadClock readClock;
    private final InstantSource clock;
    private final Log log;
    private final Metrics.Counter eventsRead;
    private final Metrics.Counter bytesRead;
    private final Metrics.Counter notJson;
    private final Metrics.Counter notEvents;
    // Reader thread only.
    private long nextSequence;
    private boolean replaying;

    LineIntake(EventQueue queue, List<DestinationPipeline> destinations, List<ReplayFilter> filters, DeadLetterFile invalidLines,
               ReadClock readClock, Metrics metrics, Log log, InstantSource clock) {
        this.queue = queue;
        this.settlements = destinations.stream().map(DestinationPipeline::settlement).toList();
        this.allLanes = destinations.stream().map(DestinationPipeline::lane).toList();
        this.filters = filters.toArray(new ReplayFilter[0]);
        this.replaying = filters.stream().anyMatch(ReplayFilter::isActive);
        this.invalidLines = invalidLines;
        this.readClock = readClock;
        this.clock = clock;
        this.log = log;
        this.eventsRead = metrics.counter("events_read_total", "Audit events read from the audit log (one per line, lines that are not an event included).");
        this.bytesRead = metrics.counter("bytes_read_total", "Bytes read from the audit log (newlines included).");
        this.notJson = metrics.counter("events_dead_lettered_total", "Events written to the dead-letter file instead of being delivered.",
                "destination", "invalid", "reason", "not_json_object");
        this.notEvents = metrics.counter("events_dead_lettered_total", "Events written to the dead-letter file instead of being delivered.",
                "destination", "invalid", "reason", "not_audit_event");
    }

    @Override
    public void accept(LogLine line) throws InterruptedException {
        long sequence = nextSequence++;
        long now = clock.millis();
        readClock.read(sequence, now);
        eventsRead.inc();
        bytesRead.add(line.endOffset() - line.offset());
        String why = JsonShape.whyNotAnObject(line.bytes());
        if (why != null) {
            invalid(sequence, line, why, notJson);
            return;
        }
        AuditFields fields = null;
        if (!AuditEventShape.isApiServerLayout(line.bytes())) {
            try {
                fields = AuditFields.read(line.bytes());
            } catch (IllegalArgumentException e) {
                invalid(sequence, line, e.getMessage(), notJson);
                return;
            }
            String notAnEvent = AuditEventShape.whyNotAnEvent(fields);
            if (notAnEvent != null) {
                invalid(sequence, line, notAnEvent, notEvents);
                return;
            }
        }
        List<EventQueue.Lane> targets = replaying ? withoutReplayed(line, sequence) : allLanes;
        if (!targets.isEmpty()) {
            Event event = new Event(sequence, line, now);
            if (fields != null) {
                event.fields(fields);
            }
            event.locateAnnotations();
            queue.put(event, targets);
        }
    }

    private List<EventQueue.Lane> withoutReplayed(LogLine line, long sequence) {
        List<EventQueue.Lane> targets = new ArrayList<>(filters.length);
        boolean stillReplaying = false;
        for (int i = 0; i < filters.length; i++) {
            if (filters[i].alreadyDelivered(line)) {
                settlements.get(i).passed(sequence, line);
            } else {
                targets.add(allLanes.get(i));
            }
            stillReplaying |= filters[i].isActive();
        }
        replaying = stillReplaying;
        return targets;
    }

    private void invalid(long sequence, LogLine line, String why, Metrics.Counter counter) {
        try {
            Settlement.invalidLine(sequence, line, why, invalidLines, counter, settlements);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dead-letter file " + invalidLines.path() + ": " + e.getMessage(), e);
        }
        log.warnLimited("ship/read", "line is not an audit event; dead-lettered", "invalid",
                "reason", why, "file", line.path(), "offset", line.offset(), "deadLetterFile", invalidLines.path());
    }

    long bytesRead() {
        return bytesRead.value();
    }

    long eventsRead() {
        return eventsRead.value();
    }
}
