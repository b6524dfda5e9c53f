package io.kubeaudit.ship.sink;

/** What a destination made of one event of a request it answered per event ({@link Outcome.PerEvent}). */
public sealed interface EventOutcome {

    Delivered DELIVERED = new Delivered();

    /** Accepted (or already there: a resend the destination recognised). */
    record Delivered() implements EventOutcome {
    }

    /** Not taken this time (throttled, a busy shard): sent again, with the other events still to send. */
    record Retry(RetryCause cause, String reason) implements EventOutcome {
    }

    /** Refused for good (a mapping error, too large): dead-lettered with the destination's reason. */
    record Rejected(String reason, String response) implements EventOutcome {
    }
}
