package io.kubeaudit.ship.sink;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a destination made of one request. Sinks classify; the pipeline decides what follows, the same
 * way for every destination.
 */
public sealed interface Outcome {

    Delivered DELIVERED = new Delivered(Optional.empty());

    /**
     * Every event accepted: acknowledged. {@code warning}: the answer was not what this destination
     * answers (an HTML page from a proxy where a webhook answers JSON); it is logged, the events count
     * as delivered.
     */
    record Delivered(Optional<String> warning) implements Outcome {
    }

    /** Temporary (timeouts, connection errors, 408, 429, 5xx): the same events again after a backoff, forever if need be. */
    record Retry(RetryCause cause, String reason, Optional<Duration> after) implements Outcome {
    }

    /**
     * The destination refuses the request for its content (a 400): the pipeline sends it again in
     * halves until the refused events are alone, and dead-letters those with {@code reason} and the
     * destination's {@code response}.
     */
    record Rejected(String reason, String response) implements Outcome {
    }

    /** The request was too large (413): the pipeline sends the events again in halves; a single event too large is dead-lettered. */
    record TooLarge(String reason) implements Outcome {
    }

    /**
     * The destination will take nothing until a person acts: nothing is delivered or dropped, the
     * pipeline holds, raises the alert for {@code cause} and retries slowly.
     */
    record Held(HoldCause cause, String reason) implements Outcome {
    }

    /**
     * The answer speaks for each event (a bulk API): one outcome per event of the batch, in its order.
     * The pipeline acknowledges the delivered, dead-letters the rejected and sends only the rest again.
     */
    record PerEvent(List<EventOutcome> events) implements Outcome {
        public PerEvent {
            events = List.copyOf(events);
        }
    }

    /** Why a request is being held. */
    enum HoldCause {
        /** 401/403: the credentials are refused; {@code auth_failing} alerts. */
        CREDENTIALS,
        /** The destination refuses writes for now (a read-only or flood-stage index); {@code destination_blocked} alerts. */
        BLOCKED
    }
}
