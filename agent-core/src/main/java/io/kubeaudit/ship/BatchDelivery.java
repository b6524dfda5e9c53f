package io.kubeaudit.ship;

import io.kubeaudit.log.Log;
import io.kubeaudit.ship.Settlement.DeadLetterCause;
import io.kubeaudit.ship.sink.EventOutcome;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.Outcome.HoldCause;
import io.kubeaudit.ship.sink.RetryCause;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One batch's life on a sender thread: send, and on each outcome do what the pipeline promises, the
 * same for every destination. Delivered: settle. Retry: wait (backoff or Retry-After) and send again,
 * with no attempt limit. Held: raise the alert and retry slowly; never acknowledge. Per event: settle
 * the delivered and the rejected, send only the rest again. TooLarge, Rejected: send in halves, down to
 * the single events the destination refuses, which are dead-lettered; so one poison event costs about
 * two requests per halving instead of its whole batch. Interrupted (forced shutdown): abandon, unacknowledged.
 */
final class BatchDelivery implements InFlightLimiter.Delivery {

    /** What a delivery needs of its destination. */
    record Context(String destination, Sink sink, RetryPolicy retry, Settlement settlement, DestinationMetrics metrics, Log log,
                   AtomicLong batchIds, StopSignal stop, Ticker ticker) {

        /** The dead-letter file cannot be written: acknowledging would lose events, so the agent stops instead. */
        void deadLetterFailed(IOException e) {
            String reason = "cannot write the dead-letter file " + settlement.deadLetters().path() + ": " + e.getMessage();
            if (stop.fail(reason)) {
                log.error("ship/send", "cannot write the dead-letter file", "destination", destination, "reason", reason,
                        "effect", "stopping; unacknowledged events are read again after a restart");
            }
        }
    }

    private final Batch batch;
    private final Context c;
    /** Events of this delivery already checked for invalid JSON (done once, at its first refusal). */
    private boolean validated;

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
                deliver(work.peekFirst(), work);
            }
        } catch (InterruptedException e) {
            work.forEach(c.settlement()::abandoned);
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            work.forEach(c.settlement()::abandoned);
            c.deadLetterFailed(e);
        } catch (Error e) {
            work.forEach(c.settlement()::abandoned);
            if (c.stop().fail("sending to " + c.destination() + " failed: " + e)) {
                c.log().error("ship/send", "sender failed", "destination", c.destination(), "error", e.toString(),
                        "effect", "stopping; unacknowledged events are read again after a restart");
            }
            throw e;
        }
    }

    /**
     * Delivers the batch at the head of {@code work} until it is settled or replaced by others (which
     * go to the head of {@code work}); it stays there while it waits, so an interrupt abandons it.
     */
    private void deliver(Batch first, Deque<Batch> work) throws InterruptedException, IOException {
        Batch b = first;
        int failures = 0;
        while (true) {
            Outcome outcome = attempt(b);
            if (outcome instanceof Outcome.Delivered d) {
                work.pollFirst();
                delivered(b, d, failures);
                return;
            }
            if (outcome instanceof Outcome.TooLarge t) {
                work.pollFirst();
                tooLarge(b, t, work);
                return;
            }
            if (outcome instanceof Outcome.Rejected r) {
                work.pollFirst();
                rejected(b, r, work);
                return;
            }
            failures++;
            if (outcome instanceof Outcome.PerEvent p) {
                work.pollFirst();
                Optional<Batch> rest = perEvent(b, p);
                if (rest.isEmpty()) {
                    return;
                }
                b = rest.get();
                work.addFirst(b);
                retryLater(b, firstRetry(p), failures);
            } else if (outcome instanceof Outcome.Retry r) {
                retryLater(b, r, failures);
            } else if (outcome instanceof Outcome.Held h) {
                hold(b, h, failures);
            } else {
                throw new IllegalStateException("unknown outcome " + outcome);
            }
        }
    }

    /** One request; whatever the sink throws instead of answering is a failed attempt, never the end of the sender thread. */
    private Outcome attempt(Batch b) throws InterruptedException {
        long start = c.ticker().nanoTime();
        try {
            return c.sink().send(b);
        } catch (RuntimeException e) {
            return new Outcome.Retry(RetryCause.SINK_ERROR, "the sink failed: " + e, Optional.empty());
        } finally {
            c.metrics().requestSeconds.observe((c.ticker().nanoTime() - start) / 1e9);
        }
    }

    private void delivered(Batch b, Outcome.Delivered d, int failures) {
        c.settlement().delivered(b);
        d.warning().ifPresent(w -> c.log().warnLimited("ship/send", "unexpected answer; counted as delivered", c.destination() + "/answer",
                "destination", c.destination(), "sink", c.sink(), "answer", w));
        recovered();
        if (failures > 0) {
            c.log().info("ship/send", "delivered after retries", "destination", c.destination(), "batch", b.id(), "retries", failures);
        }
    }

    private void recovered() {
        if (c.metrics().holding(HoldCause.CREDENTIALS, false)) {
            c.log().info("ship/send", "credentials accepted again", "destination", c.destination(), "sink", c.sink());
        }
        if (c.metrics().holding(HoldCause.BLOCKED, false)) {
            c.log().info("ship/send", "destination takes writes again", "destination", c.destination(), "sink", c.sink());
        }
    }

    /** Settles the delivered and the rejected events of a per-event answer; the rest, if any, is sent again. */
    private Optional<Batch> perEvent(Batch b, Outcome.PerEvent p) throws IOException {
        if (p.events().size() != b.size()) {
            throw new IllegalStateException(c.sink() + " answered for " + p.events().size() + " events of a batch of " + b.size());
        }
        List<PreparedEvent> delivered = new ArrayList<>();
        List<PreparedEvent> rejected = new ArrayList<>();
        List<DeadLetterFile.Entry> reasons = new ArrayList<>();
        List<PreparedEvent> retry = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            PreparedEvent e = b.events().get(i);
            EventOutcome o = p.events().get(i);
            if (o instanceof EventOutcome.Delivered) {
                delivered.add(e);
            } else if (o instanceof EventOutcome.Rejected r) {
                rejected.add(e);
                reasons.add(DeadLetterFile.Entry.of(e.event().line, r.reason(), r.response()));
            } else {
                retry.add(e);
            }
        }
        b.complete(Batch.State.REPLACED);
        if (!delivered.isEmpty()) {
            c.settlement().delivered(new Batch(c.batchIds().incrementAndGet(), delivered));
            recovered();
        }
        if (!rejected.isEmpty()) {
            c.settlement().deadLettered(new Batch(c.batchIds().incrementAndGet(), rejected), DeadLetterCause.REJECTED, reasons);
        }
        return retry.isEmpty() ? Optional.empty() : Optional.of(new Batch(c.batchIds().incrementAndGet(), retry));
    }

    /** What the log and the retry metric say about a per-event answer: the first event's reason to retry. */
    private static Outcome.Retry firstRetry(Outcome.PerEvent p) {
        for (EventOutcome e : p.events()) {
            if (e instanceof EventOutcome.Retry r) {
                return new Outcome.Retry(r.cause(), r.reason(), Optional.empty());
            }
        }
        throw new IllegalStateException("a per-event answer with events to send again has no event to retry");
    }

    private void retryLater(Batch b, Outcome.Retry r, int failures) throws InterruptedException {
        c.metrics().retried(r.cause());
        Duration wait = c.retry().delay(failures, r.after());
        c.log().warnLimited("ship/send", "send failed; retrying", c.destination(),
                "destination", c.destination(), "sink", c.sink(), "cause", r.cause().label(),
                "reason", r.reason(), "attempt", failures, "wait", wait.toMillis() + "ms", "batchEvents", b.size());
        c.ticker().sleep(wait);
    }

    private void hold(Batch b, Outcome.Held h, int failures) throws InterruptedException {
        if (h.cause() == HoldCause.CREDENTIALS) {
            c.metrics().authFailures.inc();
        }
        if (c.metrics().holding(h.cause(), true)) {
            c.log().error("ship/send", h.cause() == HoldCause.CREDENTIALS ? "destination refused the credentials" : "destination refuses writes",
                    "destination", c.destination(), "sink", c.sink(), "reason", h.reason(),
                    "effect", "shipping holds (nothing is dropped) and retries slowly until this is fixed");
        }
        Duration wait = c.retry().holdDelay();
        c.log().errorLimited("ship/send", "destination still holding; retrying", c.destination(),
                "destination", c.destination(), "reason", h.reason(), "attempt", failures, "wait", wait.toMillis() + "ms",
                "batchEvents", b.size());
        c.ticker().sleep(wait);
    }

    private void tooLarge(Batch b, Outcome.TooLarge t, Deque<Batch> work) throws IOException {
        if (b.size() == 1) {
            c.settlement().deadLettered(b, DeadLetterCause.UNSENDABLE, t.reason(), "");
            return;
        }
        c.log().warnLimited("ship/send", "batch too large; sending it in halves", c.destination() + "/split",
                "destination", c.destination(), "reason", t.reason(), "events", b.size(), "bytes", b.bytes());
        split(b, work);
    }

    /**
     * The destination refuses something in the batch. Events that are not valid JSON (a full parse, only
     * here) are dead-lettered at once; the rest is sent in halves until each refused event is alone.
     */
    private void rejected(Batch b, Outcome.Rejected r, Deque<Batch> work) throws IOException {
        if (b.size() == 1) {
            c.settlement().deadLettered(b, DeadLetterCause.REJECTED, r.reason(), r.response());
            return;
        }
        Batch valid = b;
        if (!validated) {
            validated = true;
            Optional<Batch> rest = withoutInvalidJson(b);
            if (rest.isEmpty()) {
                return;
            }
            valid = rest.get();
        }
        if (valid.size() == 1) {
            work.addFirst(valid);
            return;
        }
        c.log().warnLimited("ship/send", "batch refused; sending it in halves to find the refused events", c.destination() + "/split",
                "destination", c.destination(), "reason", r.reason(), "events", valid.size());
        split(valid, work);
    }

    /** Dead-letters the batch's events that are not valid JSON; returns the rest (the same batch when all are valid). */
    private Optional<Batch> withoutInvalidJson(Batch b) throws IOException {
        List<PreparedEvent> invalid = new ArrayList<>();
        List<DeadLetterFile.Entry> reasons = new ArrayList<>();
        List<PreparedEvent> rest = new ArrayList<>();
        for (PreparedEvent e : b.events()) {
            String why = JsonValidator.whyInvalid(e.placement().bytes());
            if (why != null) {
                invalid.add(e);
                reasons.add(DeadLetterFile.Entry.of(e.event().line, why, ""));
            } else {
                rest.add(e);
            }
        }
        if (invalid.isEmpty()) {
            return Optional.of(b);
        }
        b.complete(Batch.State.REPLACED);
        c.settlement().deadLettered(new Batch(c.batchIds().incrementAndGet(), invalid), DeadLetterCause.UNSENDABLE, reasons);
        return rest.isEmpty() ? Optional.empty() : Optional.of(new Batch(c.batchIds().incrementAndGet(), rest));
    }

    private void split(Batch b, Deque<Batch> work) {
        List<Batch> halves = b.split(c.batchIds().incrementAndGet(), c.batchIds().incrementAndGet());
        b.complete(Batch.State.REPLACED);
        c.metrics().batchesSplit.inc();
        work.addFirst(halves.get(1));
        work.addFirst(halves.get(0));
    }
}
