package io.kubeaudit.ship;

import io.kubeaudit.time.Ticker;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The pipeline's memory, bounded in bytes. An event is counted from the moment the reader puts it in
 * until every destination it went to is done with it (delivered or dead-lettered), so the budget
 * covers events waiting here, events being batched and batches in flight or waiting for a retry.
 * When the budget is used up {@link #put} blocks: the follower stops reading and the log on disk is the
 * buffer, however long the destination is down. One event larger than the whole budget is let in
 * alone (when nothing else is held), so the overshoot is at most one event.
 *
 * <p>{@link #put} also waits while a target lane already holds {@code laneLimitBytes} not yet
 * batched: the next batch or two ready is all a batcher can use, and a longer queue would only keep
 * tens of MB of events alive across garbage collections (full collections of a small heap cost more CPU
 * than the whole pipeline) without shipping anything sooner; the log on disk is read again at page-cache speed.
 *
 * <p>Each destination takes events from its own {@link Lane} in sequence order; the bytes are shared.
 * One lock guards everything; no callback runs under it.
 */
final class EventQueue {

    private final long budgetBytes;
    private final long laneLimitBytes;
    private final int laneLimitEvents;
    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    // Guarded by lock.
    private long heldBytes;
    private long heldEvents;
    private long peakBytes;
    private boolean closed;
    private long blockedNanos;
    /** The ticker's time when the reader started waiting for room; not waiting while {@link #waiting} is false. */
    private long waitingSince;
    private boolean waiting;

    /**
     * @param laneLimitBytes  bytes a lane may hold before the reader waits for its batcher
     * @param laneLimitEvents events a lane may hold before the reader waits for its batcher
     */
    EventQueue(long budgetBytes, long laneLimitBytes, int laneLimitEvents, List<String> destinations, Ticker ticker) {
        if (budgetBytes <= 0 || laneLimitBytes <= 0 || laneLimitEvents <= 0) {
            throw new IllegalArgumentException("memory budget and lane limits must be positive, found " + budgetBytes + ", "
                    + laneLimitBytes + " and " + laneLimitEvents);
        }
        this.budgetBytes = budgetBytes;
        this.laneLimitBytes = laneLimitBytes;
        this.laneLimitEvents = laneLimitEvents;
        this.ticker = ticker;
        for (String d : destinations) {
            lanes.put(d, new Lane(d));
        }
    }

    Lane lane(String destination) {
        Lane lane = lanes.get(destination);
        if (lane == null) {
            throw new IllegalArgumentException("no lane for destination " + destination + "; lanes: " + lanes.keySet());
        }
        return lane;
    }

    /**
     * Blocks until the event fits in the budget, then hands it to {@code targets}.
     *
     * @return false when the queue was closed (shutdown): the event was not taken and is read again after the restart
     */
    boolean put(Event event, List<Lane> targets) throws InterruptedException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("event " + event.sequence + " has no destination");
        }
        long cost = event.cost();
        lock.lockInterruptibly();
        try {
            try {
                boolean overBudget;
                while (!closed && heldBytes > 0 && ((overBudget = heldBytes + cost > budgetBytes) | anyFull(targets))) {
                    // Only a full budget is backpressure; a lane holding its batch's worth is the batcher's normal pace.
                    budgetWait(overBudget);
                    room.await();
                }
            } finally {
                budgetWait(false);
            }
            if (closed) {
                return false;
            }
            heldBytes += cost;
            heldEvents++;
            peakBytes = Math.max(peakBytes, heldBytes);
            event.holdFor(targets.size());
            for (Lane lane : targets) {
                lane.events.addLast(event);
                lane.bytes += cost;
                lane.notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean anyFull(List<Lane> targets) {
        for (Lane lane : targets) {
            if (lane.isFull()) {
                return true;
            }
        }
        return false;
    }

    /** A destination is done with these events; the last destination to let go gives their bytes back. */
    void release(List<Event> events) {
        long cost = 0;
        for (Event e : events) {
            cost += e.cost();
        }
        release(events, cost);
    }

    /**
     * As {@link #release(List)}, with the events' summed {@link Event#cost} known to the caller: with one
     * destination every event has one holder, so the bytes go back without touching each event again.
     */
    void release(List<Event> events, long cost) {
        long freed = 0;
        long count = 0;
        if (lanes.size() == 1) {
            freed = cost;
            count = events.size();
        } else {
            for (Event e : events) {
                if (e.letGo()) {
                    freed += e.cost();
                    count++;
                }
            }
        }
        if (count == 0) {
            return;
        }
        lock.lock();
        try {
            heldBytes -= freed;
            heldEvents -= count;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Starts or stops the clock of waiting for room in the budget. Called with the lock held. */
    private void budgetWait(boolean overBudget) {
        if (overBudget && !waiting) {
            waiting = true;
            waitingSince = ticker.nanoTime();
        } else if (!overBudget && waiting) {
            blockedNanos += ticker.nanoTime() - waitingSince;
            waiting = false;
        }
    }

    /** Stops taking events: blocked and later puts return false; lanes hand out what they hold, then report empty at once. */
    void close() {
        lock.lock();
        try {
            closed = true;
            room.signalAll();
            for (Lane lane : lanes.values()) {
                lane.notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    long budgetBytes() {
        return budgetBytes;
    }

    long heldBytes() {
        lock.lock();
        try {
            return heldBytes;
        } finally {
            lock.unlock();
        }
    }

    long heldEvents() {
        lock.lock();
        try {
            return heldEvents;
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes ever held at once: the proof that the budget held. */
    long peakBytes() {
        lock.lock();
        try {
            return peakBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Time the reader spent waiting for room, the current wait included: backpressure at work. */
    double blockedSeconds() {
        lock.lock();
        try {
            return (blockedNanos + (waiting ? ticker.nanoTime() - waitingSince : 0)) / 1e9;
        } finally {
            lock.unlock();
        }
    }

    /** One destination's view: its events in sequence order. */
    final class Lane {
        private final String destination;
        private final ArrayDeque<Event> events = new ArrayDeque<>();
        private final Condition notEmpty = lock.newCondition();
        // Guarded by lock.
        private long bytes;

        private Lane(String destination) {
            this.destination = destination;
        }

        String destination() {
            return destination;
        }

        /**
         * Moves events, in order, into {@code into} for as long as {@code take} accepts them (one lock
         * hold for the lot), waiting for the first one until {@code deadlineNanos} (the ticker's time;
         * {@link Long#MAX_VALUE} waits until there is one or the queue closes).
         *
         * @return events moved; 0 at the deadline or when the next one is not taken; -1 when closed and empty
         */
        int drain(List<Event> into, long deadlineNanos, Predicate<Event> take) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (events.isEmpty() && !closed) {
                    if (deadlineNanos == Long.MAX_VALUE) {
                        notEmpty.await();
                        continue;
                    }
                    if (!ticker.awaitUntil(notEmpty, deadlineNanos)) {
                        return 0;
                    }
                }
                if (events.isEmpty()) {
                    return -1;
                }
                boolean wasFull = isFull();
                int moved = 0;
                Event next;
                while ((next = events.peekFirst()) != null && take.test(next)) {
                    events.pollFirst();
                    bytes -= next.cost();
                    into.add(next);
                    moved++;
                }
                if (wasFull && !isFull()) {
                    room.signalAll();
                }
                return moved;
            } finally {
                lock.unlock();
            }
        }

        /** Guarded by lock. */
        private boolean isFull() {
            return bytes >= laneLimitBytes || events.size() >= laneLimitEvents;
        }

        /** Bytes of events waiting in this lane, not yet in a batch. */
        long waitingBytes() {
            lock.lock();
            try {
                return bytes;
            } finally {
                lock.unlock();
            }
        }

        long waitingEvents() {
            lock.lock();
            try {
                return events.size();
            } finally {
                lock.unlock();
            }
        }
    }

}
