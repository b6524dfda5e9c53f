package io.kubeaudit.ship;

import io.kubeaudit.log.Log;
import io.kubeaudit.tail.LineConsumer;
import io.kubeaudit.tail.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the follower hands over lines, on the reader thread. Numbers each line (the pipeline's own
 * sequence, contiguous from 0, the basis of every acknowledgement), sends a line that is not a JSON
 * object to {@code invalid.ndjson} (acknowledged at once: nothing downstream can use it), skips lines a
 * destination already had before the restart, and puts the rest into the queue, blocking while the
 * memory budget is used up. That block is the backpressure the follower sees.
 */
final class LineIntake implements LineConsumer {

    private final EventQueue queue;
    private final List<DestinationPipeline> destinations;
    private final List<EventQueue.Lane> allLanes;
    private final ReplayFilter[] filters;
    private final DeadLetterFile invalidLines;
    private final ReadClock readClock;
    private final InstantSource clock;
    private final Log log;
    private final Metrics.Counter eventsRead;
    private final Metrics.Counter bytesRead;
    private final Metrics.Counter invalid;
    // Reader thread only.
    private long nextSequence;
    private boolean replaying;

    LineIntake(EventQueue queue, List<DestinationPipeline> destinations, List<ReplayFilter> filters, DeadLetterFile invalidLines,
               ReadClock readClock, Metrics metrics, Log log, InstantSource clock) {
        this.queue = queue;
        this.destinations = List.copyOf(destinations);
        this.allLanes = destinations.stream().map(DestinationPipeline::lane).toList();
        this.filters = filters.toArray(new ReplayFilter[0]);
        this.replaying = filters.stream().anyMatch(ReplayFilter::isActive);
        this.invalidLines = invalidLines;
        this.readClock = readClock;
        this.clock = clock;
        this.log = log;
        this.eventsRead = metrics.counter("events_read_total", "Audit events read from the audit log (one per line, lines that are not an event included).");
        this.bytesRead = metrics.counter("bytes_read_total", "Bytes read from the audit log (newlines included).");
        this.invalid = metrics.counter("events_dead_lettered_total", "Events written to the dead-letter file instead of being delivered.",
                "destination", "invalid", "reason", "not_json_object");
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
            deadLetter(line, sequence, why);
            return;
        }
        List<EventQueue.Lane> targets = replaying ? withoutReplayed(line, sequence) : allLanes;
        if (!targets.isEmpty()) {
            Event event = new Event(sequence, line, now);
            event.locateAnnotations();
            queue.put(event, targets);
        }
    }

    private List<EventQueue.Lane> withoutReplayed(LogLine line, long sequence) {
        List<EventQueue.Lane> targets = new ArrayList<>(filters.length);
        boolean stillReplaying = false;
        for (int i = 0; i < filters.length; i++) {
            if (filters[i].alreadyDelivered(line)) {
                destinations.get(i).tracker().acknowledge(range(line, sequence));
            } else {
                targets.add(allLanes.get(i));
            }
            stillReplaying |= filters[i].isActive();
        }
        replaying = stillReplaying;
        return targets;
    }

    private void deadLetter(LogLine line, long sequence, String why) {
        try {
            invalidLines.write(List.of(DeadLetterFile.Entry.of(line, why, "")));
        } catch (IOException e) {
            // Acknowledging a line that was neither shipped nor kept would lose it; stop instead.
            throw new UncheckedIOException("cannot write the dead-letter file " + invalidLines.path() + ": " + e.getMessage(), e);
        }
        invalid.inc();
        log.warnLimited("ship/read", "line is not a JSON object; dead-lettered", "invalid",
                "reason", why, "file", line.path(), "offset", line.offset(),
                "deadLetterFile", invalidLines.path());
        for (DestinationPipeline d : destinations) {
            d.tracker().acknowledge(range(line, sequence));
        }
    }

    private static AckTracker.Range range(LogLine line, long sequence) {
        return new AckTracker.Range(sequence, sequence, line.endOffset() - line.offset(), line.checkpoint());
    }

    long bytesRead() {
        return bytesRead.value();
    }

    long eventsRead() {
        return eventsRead.value();
    }
}
