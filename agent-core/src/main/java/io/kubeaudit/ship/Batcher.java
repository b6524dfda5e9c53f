package io.kubeaudit.ship;

import io.kubeaudit.config.BatchConfig;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Cuts one destination's lane into batches: a batch closes at maxEvents, at maxBytes, or maxWait
 * after its first event, whichever comes first. It waits for a free in-flight slot before starting a
 * batch, so while the destination is slow the next batch fills up instead of many small ones queueing.
 * Each event is prepared for the destination here (annotations, trimming); one that cannot be sent is
 * settled as unsendable on the spot. After the queue closes it flushes what is left without waiting.
 */
final class Batcher implements Runnable {

    private final EventQueue.Lane lane;
    private final BatchConfig limits;
    private final EventPreparer preparer;
    private final InFlightLimiter limiter;
    private final Function<Batch, InFlightLimiter.Delivery> delivery;
    private final BatchDelivery.Context context;
    private final Ticker ticker;
    /** Annotation bytes an event gains, used to estimate whether the next event still fits. */
    private final int annotationEstimate;

    Batcher(EventQueue.Lane lane, BatchConfig limits, EventPreparer preparer, InFlightLimiter limiter,
            Function<Batch, InFlightLimiter.Delivery> delivery, BatchDelivery.Context context) {
        this.lane = lane;
        this.limits = limits;
        this.preparer = preparer;
        this.limiter = limiter;
        this.delivery = delivery;
        this.context = context;
        this.ticker = context.ticker();
        this.annotationEstimate = preparer.annotations().members(false).length + 20;
    }

    @Override
    public void run() {
        try {
            while (runOnce()) {
                // Each pass cuts one batch; runOnce is false once the lane is closed and empty.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            context.deadLetterFailed(e);
        }
    }

    /** Cuts and hands over one batch; false when there will be no more events. */
    boolean runOnce() throws InterruptedException, IOException {
        limiter.awaitCapacity();
        Cut cut = new Cut();
        List<Event> taken = new ArrayList<>();
        if (lane.drain(taken, Long.MAX_VALUE, cut::reserve) < 0) {
            return false;
        }
        cut.addAll(taken);
        long deadline = ticker.deadline(limits.maxWait());
        while (!cut.isFull()) {
            taken.clear();
            if (lane.drain(taken, deadline, cut::reserve) <= 0) {
                break;
            }
            cut.addAll(taken);
        }
        if (!cut.events.isEmpty()) {
            Batch batch = new Batch(context.batchIds().incrementAndGet(), cut.events);
            limiter.enqueue(delivery.apply(batch));
        }
        return true;
    }

    /** The batch being cut. Owned by the batcher thread. */
    private final class Cut {
        final List<PreparedEvent> events = new ArrayList<>();
        /** Events taken from the lane for this batch and their estimated size (reserved under the lane's lock). */
        int reservedEvents;
        long reservedBytes;

        boolean isFull() {
            return reservedEvents >= limits.maxEvents() || reservedBytes >= limits.maxBytes();
        }

        /** Takes the event if it still fits; an event larger than maxBytes still goes, alone. */
        boolean reserve(Event e) {
            long size = e.length() + annotationEstimate;
            if (reservedEvents > 0 && (reservedEvents >= limits.maxEvents() || reservedBytes + size > limits.maxBytes())) {
                return false;
            }
            reservedEvents++;
            reservedBytes += size;
            return true;
        }

        void addAll(List<Event> taken) throws IOException {
            for (Event e : taken) {
                try {
                    events.add(preparer.prepare(e));
                } catch (InvalidEventException unsendable) {
                    context.settlement().unsendable(e, unsendable.getMessage());
                }
            }
        }
    }
}
