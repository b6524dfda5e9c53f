package io.kubeaudit.ship;

import io.kubeaudit.log.Log;
import io.kubeaudit.ship.DeliveryOutcome.AuthFailed;
import io.kubeaudit.ship.DeliveryOutcome.Delivered;
import io.kubeaudit.ship.DeliveryOutcome.Rejected;
import io.kubeaudit.ship.DeliveryOutcome.Retry;
import io.kubeaudit.ship.DeliveryOutcome.TooLarge;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One batch's life on a sender thread: send, and on each outcome do what the pipeline promises.
 * Delivered: acknowledge. Retry: wait (backoff or Retry-After) and send again, with no attempt limit.
 * AuthFailed: raise the alert and retry slowly; never acknowledge. TooLarge: send in halves.
 * Rejected: take out events that are not valid JSON (a full parse, only here) and send the rest; when
 * all are valid the destination refuses the content itself, so the batch goes to the dead-letter file with
 * the answer and is acknowledged. Interrupted (forced shutdown): abandon, unacknowledged.
 */
final class BatchDelivery implements InFlightLimiter.Delivery {

    /** What a delivery needs of its destination. */
    record Context(String destination, Sink sink, RetryPolicy retry, AckTracker tracker, EventQueue queue,
                   DeadLetterFile deadLetters, DestinationMetrics metrics, Log log, AtomicLong batchIds, StopSignal stop,
                   InFlightLimiter limiter) {

        /** The dead-letter file cannot be written: acknowledging would lose events, so the agent stops instead. */
        void deadLetterFailed(IOException e) {
            String reason = "cannot write the dead-letter file " + deadLetters.path() + ": " + e.getMessage();
            if (stop.fail(reason)) {
                log.error("ship/send", "cannot write the dead-letter file", "destination", destination, "reason", reason,
                        "effect", "stopping; unacknowledged events are read again after a restart");
            }
        }
    }

    private final Batch batch;
    private final Context c;

    BatchDelivery(Batch batch, Context context) {
        this.batch = batch;
        this.c = context;
    }

    @Override
    public Batch batch() {
        return batch;
    }

    @Override
    public void run() {
        Deque<Batch> work = new ArrayDeque<>();
        work.add(batch);
        try {
            while (!work.isEmpty()) {
                deliver(work.pollFirst(), work);
            }
        } catch (InterruptedException e) {
            for (Batch b : work) {
                abandon(b);
            }
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            for (Batch b : work) {
                abandon(b);
            }
            c.deadLetterFailed(e);
        }
    }

    private void deliver(Batch b, Deque<Batch> work) throws InterruptedException, IOException {
        int attempt = 0;
        while (true) {
            DeliveryOutcome outcome;
            long start = System.nanoTime();
            try {
                outcome = c.sink().send(b);
            } catch (InterruptedException e) {
                abandon(b);
                throw e;
            } finally {
                c.metrics().requestSeconds.observe((System.nanoTime() - start) / 1e9);
            }
            if (outcome instanceof Delivered) {
                delivered(b, attempt);
                return;
            }
            if (outcome instanceof Retry r) {
                attempt++;
                c.metrics().retried(r.cause());
                Duration wait = c.retry().delay(attempt, r.after());
                c.log().warnLimited("ship/send", "send failed; retrying", c.destination(),
                        "destination", c.destination(), "sink", c.sink(), "cause", r.cause().label(),
                        "reason", r.reason(), "attempt", attempt, "wait", wait.toMillis() + "ms", "batchEvents", b.size());
                sleep(b, wait);
            } else if (outcome instanceof AuthFailed a) {
                attempt++;
                c.metrics().authFailures.inc();
                if (c.metrics().authFailing(true)) {
                    c.log().error("ship/send", "destination refused the credentials",
                            "destination", c.destination(), "sink", c.sink(), "reason", a.reason(),
                            "effect", "shipping holds (nothing is dropped) and retries slowly until the credentials are fixed");
                }
                Duration wait = c.retry().authDelay();
                c.log().errorLimited("ship/send", "credentials still refused; retrying", c.destination(),
                        "destination", c.destination(), "reason", a.reason(),
                        "attempt", attempt, "wait", wait.toMillis() + "ms");
                sleep(b, wait);
            } else if (outcome instanceof TooLarge t) {
                tooLarge(b, t, work);
                return;
            } else if (outcome instanceof Rejected r) {
                rejected(b, r, work);
                return;
            } else {
                throw new IllegalStateException("unknown outcome " + outcome);
            }
        }
    }

    private void tooLarge(Batch b, TooLarge t, Deque<Batch> work) throws IOException {
        if (b.size() == 1) {
            deadLetter(b, t.reason(), "");
            return;
        }
        List<Batch> halves = b.split(c.batchIds().incrementAndGet(), c.batchIds().incrementAndGet());
        b.complete(Batch.State.REPLACED);
        c.metrics().batchesSplit.inc();
        c.log().warnLimited("ship/send", "batch too large; sending it in halves", c.destination(),
                "destination", c.destination(), "reason", t.reason(),
                "events", b.size(), "bytes", b.bytes());
        work.addFirst(halves.get(1));
        work.addFirst(halves.get(0));
    }

    private void delivered(Batch b, int retries) {
        b.complete(Batch.State.DELIVERED);
        acknowledge(b);
        c.metrics().batchesDelivered.inc();
        c.metrics().eventsShipped.add(b.size());
        c.metrics().bytesShipped.add(b.bytes());
        c.metrics().eventsTrimmed.add(b.trimmedCount());
        if (c.metrics().authFailing(false)) {
            c.log().info("ship/send", "credentials accepted again", "destination", c.destination(), "sink", c.sink());
        }
        if (retries > 0) {
            c.log().info("ship/send", "delivered after retries", "destination", c.destination(), "batch", b.id(), "retries", retries);
        }
    }

    private void rejected(Batch b, Rejected r, Deque<Batch> work) throws IOException {
        List<DeadLetterFile.Entry> invalid = new ArrayList<>();
        Set<Long> invalidSequences = new HashSet<>();
        for (PreparedEvent e : b.events()) {
            String why = JsonValidator.whyInvalid(e.placement().bytes());
            if (why != null) {
                invalid.add(DeadLetterFile.Entry.of(e.event().line, why, ""));
                invalidSequences.add(e.sequence());
            }
        }
        if (invalid.isEmpty()) {
            deadLetter(b, r.reason(), r.response());
            return;
        }
        c.deadLetters().write(invalid);
        c.metrics().eventsUnsendable.add(invalid.size());
        List<Event> dead = new ArrayList<>();
        for (PreparedEvent e : b.events()) {
            if (invalidSequences.contains(e.sequence())) {
                c.tracker().acknowledge(e.event().range());
                dead.add(e.event());
            }
        }
        c.queue().release(dead);
        b.complete(Batch.State.REPLACED);
        c.log().warn("ship/send", "batch rejected; invalid events dead-lettered, sending the rest",
                "destination", c.destination(), "reason", r.reason(), "invalid", invalid.size(),
                "deadLetterFile", c.deadLetters().path());
        b.without(invalidSequences, c.batchIds().incrementAndGet()).ifPresent(work::addFirst);
    }

    private void deadLetter(Batch b, String reason, String response) throws IOException {
        List<DeadLetterFile.Entry> entries = new ArrayList<>(b.size());
        for (PreparedEvent e : b.events()) {
            entries.add(DeadLetterFile.Entry.of(e.event().line, reason, response));
        }
        c.deadLetters().write(entries);
        b.complete(Batch.State.DEAD_LETTERED);
        acknowledge(b);
        c.metrics().batchesDeadLettered.inc();
        c.metrics().eventsRejected.add(b.size());
        c.log().error("ship/send", "batch rejected; dead-lettered", "destination", c.destination(), "reason", reason, "events", b.size(),
                "deadLetterFile", c.deadLetters().path());
    }

    private void acknowledge(Batch b) {
        List<AckTracker.Range> ranges = b.ranges();
        c.limiter().acknowledged(ranges.get(ranges.size() - 1).last());
        for (AckTracker.Range r : ranges) {
            c.tracker().acknowledge(r);
        }
        c.queue().release(b.heldEvents(), b.heldCost());
    }

    private void abandon(Batch b) {
        if (b.state() == Batch.State.OPEN) {
            b.complete(Batch.State.ABANDONED);
            c.queue().release(b.heldEvents(), b.heldCost());
        }
    }

    private void sleep(Batch b, Duration wait) throws InterruptedException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            abandon(b);
            throw e;
        }
    }
}
