package io.kubeaudit.ship;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Events going to one destination in one request, in sequence order. Its outcome is set exactly once
 * ({@link #complete}): a second acknowledgement of the same batch is a bug, not something to apply twice.
 */
final class Batch {

    enum State {
        /** Cut and being delivered (sent, waiting for a retry, or being split). */
        OPEN,
        /** The destination accepted it. */
        DELIVERED,
        /** Its events went to the dead-letter file; for the checkpoint that counts as done. */
        DEAD_LETTERED,
        /** Replaced by smaller batches (halves after a 413, or the rest after invalid events were taken out). */
        REPLACED,
        /** Shutdown came first: not acknowledged, so it is read and sent again after the restart. */
        ABANDONED
    }

    private final long id;
    private final List<PreparedEvent> events;
    private final Annotations annotations;
    private final long bytes;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    Batch(long id, List<PreparedEvent> events, Annotations annotations) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one event");
        }
        this.id = id;
        this.events = List.copyOf(events);
        this.annotations = annotations;
        long total = 0;
        for (PreparedEvent e : events) {
            total += e.length(annotations);
        }
        this.bytes = total;
    }

    long id() {
        return id;
    }

    List<PreparedEvent> events() {
        return events;
    }

    /** What the destination adds to each event when it encodes the batch. */
    Annotations annotations() {
        return annotations;
    }

    int size() {
        return events.size();
    }

    /** Event bytes as sent, annotations included, envelope excluded. */
    long bytes() {
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
        List<AckTracker.Range> ranges = new ArrayList<>();
        Event runStart = events.get(0).event();
        Event previous = runStart;
        long runBytes = runStart.logBytes();
        for (int i = 1; i < events.size(); i++) {
            Event e = events.get(i).event();
            if (e.sequence != previous.sequence + 1) {
                ranges.add(new AckTracker.Range(runStart.sequence, previous.sequence, runBytes, previous.end()));
                runStart = e;
                runBytes = 0;
            }
            runBytes += e.logBytes();
            previous = e;
        }
        ranges.add(new AckTracker.Range(runStart.sequence, previous.sequence, runBytes, previous.end()));
        return ranges;
    }

    /** Two halves, for a destination that refused the request's size. */
    List<Batch> split(long firstId, long secondId) {
        int half = events.size() / 2;
        if (half == 0) {
            throw new IllegalStateException("batch " + id + " has one event and cannot be split");
        }
        return List.of(new Batch(firstId, events.subList(0, half), annotations),
                new Batch(secondId, events.subList(half, events.size()), annotations));
    }

    /** The same batch without some events (found invalid after a rejection), or empty when none is left. */
    Optional<Batch> without(Set<Long> removedSequences, long newId) {
        List<PreparedEvent> left = events.stream().filter(e -> !removedSequences.contains(e.sequence())).toList();
        return left.isEmpty() ? Optional.empty() : Optional.of(new Batch(newId, left, annotations));
    }
}
