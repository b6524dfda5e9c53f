package io.kubeaudit.ship;

import io.kubeaudit.ship.sink.SinkBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Events going to one destination in one request, in sequence order. Its outcome is set exactly once
 * ({@link #complete}): a second acknowledgement of the same batch is a bug, not something to apply twice.
 */
final class Batch implements SinkBatch {

    enum State {
        /** Cut and being delivered (sent, waiting for a retry, or being split). */
        OPEN,
        /** The destination accepted it. */
        DELIVERED,
        /** Its events went to the dead-letter file; for the checkpoint that counts as done. */
        DEAD_LETTERED,
        /** Replaced by smaller batches: halves after a 413 or a 400, or the parts of a per-event answer. */
        REPLACED,
        /** Shutdown came first: not acknowledged, so it is read and sent again after the restart. */
        ABANDONED
    }

    private final long id;
    private final List<PreparedEvent> events;
    private final long bytes;
    private final int trimmed;
    /** The queue's events behind {@link #events}, and what they cost it: what the batch gives back when done. */
    private final List<Event> held;
    private final long heldCost;
    private final List<AckTracker.Range> ranges;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    /**
     * Everything the sender needs after the response (ranges to acknowledge, events and bytes to give
     * back, counts) is worked out here, in one pass on the batcher's thread while the events are still
     * in its cache; afterwards a thousand cold objects per batch cost the sender more than the request.
     */
    Batch(long id, List<PreparedEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one event");
        }
        this.id = id;
        this.events = List.copyOf(events);
        long total = 0;
        int trimmedEvents = 0;
        long cost = 0;
        Event[] sources = new Event[events.size()];
        List<AckTracker.Range> runs = new ArrayList<>(1);
        Event runStart = null;
        Event previous = null;
        long runBytes = 0;
        for (int i = 0; i < sources.length; i++) {
            PreparedEvent prepared = this.events.get(i);
            Event e = prepared.event();
            total += prepared.length();
            trimmedEvents += prepared.trimmed() ? 1 : 0;
            cost += e.cost();
            sources[i] = e;
            if (previous != null && e.sequence != previous.sequence + 1) {
                runs.add(new AckTracker.Range(runStart.sequence, previous.sequence, runBytes, previous.end()));
                runStart = null;
                runBytes = 0;
            }
            if (runStart == null) {
                runStart = e;
            }
            runBytes += e.logBytes();
            previous = e;
        }
        runs.add(new AckTracker.Range(runStart.sequence, previous.sequence, runBytes, previous.end()));
        this.bytes = total;
        this.trimmed = trimmedEvents;
        this.held = List.of(sources);
        this.heldCost = cost;
        this.ranges = List.copyOf(runs);
    }

    long id() {
        return id;
    }

    @Override
    public List<PreparedEvent> events() {
        return events;
    }

    @Override
    public int size() {
        return events.size();
    }

    /** Event bytes as sent, annotations included, envelope excluded. */
    @Override
    public long bytes() {
        return bytes;
    }

    State state() {
        return state.get();
    }

    void complete(State outcome) {
        if (outcome == State.OPEN) {
            throw new IllegalArgumentException("OPEN is not an outcome");
        }
        if (!state.compareAndSet(State.OPEN, outcome)) {
            throw new IllegalStateException("batch " + id + " is already " + state.get() + "; cannot mark it " + outcome);
        }
    }

    /** The batch's sequences as contiguous runs: what {@link AckTracker#acknowledge} takes. */
    List<AckTracker.Range> ranges() {
        return ranges;
    }

    /** Events sent trimmed (request and response objects dropped to fit the destination). */
    int trimmedCount() {
        return trimmed;
    }

    /** The queue's events this batch holds. */
    List<Event> heldEvents() {
        return held;
    }

    /** What {@link #heldEvents} cost the queue's budget. */
    long heldCost() {
        return heldCost;
    }

    /** Two halves, for a destination that refused the request's size or content. */
    List<Batch> split(long firstId, long secondId) {
        int half = events.size() / 2;
        if (half == 0) {
            throw new IllegalStateException("batch " + id + " has one event and cannot be split");
        }
        return List.of(new Batch(firstId, events.subList(0, half)), new Batch(secondId, events.subList(half, events.size())));
    }
}
