package io.kubeaudit.ship;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * <p>Each destination takes events from its own {@link Lane} in sequence order; the bytes are shared.
 * One lock guards everything; no callback runs under it.
 */
final class EventQueue {

    private final long budgetBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    // Guarded by lock.
    private long heldBytes;
    private long heldEvents;
    private long peakBytes;
    private boolean closed;
    private long blockedNanos;
    /** System.nanoTime() when the reader started waiting for room, 0 while it is not waiting. */
    private long waitingSince;

    EventQueue(long budgetBytes, List<String> destinations) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, found " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
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
                while (!closed && heldBytes > 0 && heldBytes + cost > budgetBytes) {
                    if (waitingSince == 0) {
                        waitingSince = System.nanoTime();
                    }
                    room.await();
                }
            } finally {
                if (waitingSince != 0) {
                    blockedNanos += System.nanoTime() - waitingSince;
                    waitingSince = 0;
                }
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

    /** A destination is done with these events; the last destination to let go gives their bytes back. */
    void release(List<Event> events) {
        long freed = 0;
        long count = 0;
        for (Event e : events) {
            if (e.letGo()) {
                freed += e.cost();
                count++;
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
            return (blockedNanos + (waitingSince == 0 ? 0 : System.nanoTime() - waitingSince)) / 1e9;
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
         * The next event, if {@code accept} takes it, waiting for one until {@code deadlineNanos}
         * ({@link System#nanoTime} based; {@link Long#MAX_VALUE} waits until there is one or the queue closes).
         *
         * @return null at the deadline, when the next event is not accepted, or when closed and empty
         */
        Event poll(long deadlineNanos, Predicate<Event> accept) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                while (events.isEmpty() && !closed) {
                    if (deadlineNanos == Long.MAX_VALUE) {
                        notEmpty.await();
                        continue;
                    }
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    notEmpty.awaitNanos(left);
                }
                Event next = events.peekFirst();
                if (next == null || !accept.test(next)) {
                    return null;
                }
                events.pollFirst();
                bytes -= next.cost();
                return next;
            } finally {
                lock.unlock();
            }
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

    static long nanosFromNow(long millis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
