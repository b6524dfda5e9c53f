package io.kubeaudit.ship;

import io.kubeaudit.ship.sink.Outcome.HoldCause;
import io.kubeaudit.ship.sink.RetryCause;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The series one destination reports, registered once so the hot path only increments. */
final class DestinationMetrics {

    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    final Metrics.Counter eventsShipped;
    final Metrics.Counter bytesShipped;
    final Metrics.Counter eventsRejected;
    final Metrics.Counter eventsUnsendable;
    final Metrics.Counter eventsTrimmed;
    final Metrics.Counter batchesDelivered;
    final Metrics.Counter batchesDeadLettered;
    final Metrics.Counter batchesSplit;
    final Metrics.Counter authFailures;
    final Metrics.Histogram requestSeconds;
    private final Map<RetryCause, Metrics.Counter> retries = new EnumMap<>(RetryCause.class);
    private final Map<HoldCause, AtomicBoolean> holding = new EnumMap<>(HoldCause.class);

    DestinationMetrics(Metrics m, String destination) {
        String[] d = {"destination", destination};
        eventsShipped = m.counter("events_shipped_total", "Events the destination acknowledged.", d);
        bytesShipped = m.counter("bytes_shipped_total", "Event bytes (as sent, before compression) the destination acknowledged.", d);
        eventsRejected = m.counter("events_dead_lettered_total", "Events written to the dead-letter file instead of being delivered.",
                "destination", destination, "reason", "rejected");
        eventsUnsendable = m.counter("events_dead_lettered_total", "Events written to the dead-letter file instead of being delivered.",
                "destination", destination, "reason", "unsendable");
        eventsTrimmed = m.counter("events_trimmed_total", "Events sent without requestObject/responseObject to fit maxEventBytes.", d);
        batchesDelivered = m.counter("batches_total", "Batches sent, by final outcome: delivered, dead_lettered (refused, kept in the dead-letter file), split (too large, sent again in halves).", "destination", destination, "outcome", "delivered");
        batchesDeadLettered = m.counter("batches_total", "Batches sent, by final outcome: delivered, dead_lettered (refused, kept in the dead-letter file), split (too large, sent again in halves).", "destination", destination, "outcome", "dead_lettered");
        batchesSplit = m.counter("batches_total", "Batches sent, by final outcome: delivered, dead_lettered (refused, kept in the dead-letter file), split (too large, sent again in halves).", "destination", destination, "outcome", "split");
        authFailures = m.counter("auth_failures_total", "Requests refused with 401/403; they hold the pipeline until credentials are fixed.", d);
        requestSeconds = m.histogram("request_duration_seconds", "Time of one request to the destination, any outcome.", LATENCY_BUCKETS, d);
        for (RetryCause cause : RetryCause.values()) {
            retries.put(cause, m.counter("retries_total", "Failed requests that are retried, by cause.",
                    "destination", destination, "cause", cause.label()));
        }
        for (HoldCause cause : HoldCause.values()) {
            holding.put(cause, new AtomicBoolean());
        }
        m.gauge("auth_failing", "1 while the destination refuses the credentials (alert on this).",
                () -> isHolding(HoldCause.CREDENTIALS) ? 1 : 0, d);
        m.gauge("destination_blocked", "1 while the destination refuses writes, e.g. a read-only index (alert on this).",
                () -> isHolding(HoldCause.BLOCKED) ? 1 : 0, d);
    }

    void retried(RetryCause cause) {
        retries.get(cause).inc();
    }

    /** Requests that failed and were retried, all causes. */
    long retries() {
        return retries.values().stream().mapToLong(Metrics.Counter::value).sum();
    }

    /** @return true when this changed the alert state (log it once) */
    boolean holding(HoldCause cause, boolean held) {
        return holding.get(cause).getAndSet(held) != held;
    }

    boolean isHolding(HoldCause cause) {
        return holding.get(cause).get();
    }
}
