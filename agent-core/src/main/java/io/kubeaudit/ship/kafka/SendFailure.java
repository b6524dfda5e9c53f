package io.kubeaudit.ship.kafka;

import io.kubeaudit.ship.sink.RetryCause;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What one record's failed send means, read from the Kafka client's exception types (they arrive in the send
 * callback, or from {@code send} itself for what fails before the record is queued).
 *
 * @param kind   what the pipeline does with the event
 * @param cause  for retries: the {@code retries_total} label
 * @param reason the client's message, for the log, the alert or the dead letter
 */
record SendFailure(Kind kind, RetryCause cause, String reason) {

    enum Kind {
        /** Send it again after the shared backoff (broker down, leader moving, timeout, too few in-sync replicas). */
        RETRY,
        /** This event will never be taken (larger than the broker's or the client's limit, refused by validation): dead letter. */
        REJECT,
        /** Credentials refused or missing rights: hold, alert, nothing dropped. */
        HOLD_CREDENTIALS,
        /** The cluster refuses this producer until someone acts (no such valid topic, a broker too old for idempotence). */
        HOLD_BLOCKED
    }

    static SendFailure of(Throwable e) {
        String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
            return new SendFailure(Kind.HOLD_CREDENTIALS, RetryCause.CONNECTION, reason);
        }
        if (e instanceof RecordTooLargeException) {
            return new SendFailure(Kind.REJECT, RetryCause.SERVER_ERROR, reason
                    + " (lower the destination's maxEventBytes below the topic's max.message.bytes so such events are trimmed)");
        }
        if (e instanceof InvalidRecordException) {
            return new SendFailure(Kind.REJECT, RetryCause.SERVER_ERROR, reason);
        }
        if (e instanceof InvalidTopicException || e instanceof UnsupportedVersionException) {
            return new SendFailure(Kind.HOLD_BLOCKED, RetryCause.SERVER_ERROR, reason);
        }
        if (e instanceof TimeoutException) {
            return new SendFailure(Kind.RETRY, RetryCause.TIMEOUT, reason);
        }
        if (e instanceof NetworkException) {
            return new SendFailure(Kind.RETRY, RetryCause.CONNECTION, reason);
        }
        if (e instanceof RetriableException) {
            return new SendFailure(Kind.RETRY, RetryCause.SERVER_ERROR, reason);
        }
        // Anything else (a record that shared a batch with an invalid one, a producer closed under it) is not the
        // event's fault: it is sent again; an unforeseen error must never drop an event.
        return new SendFailure(Kind.RETRY, e instanceof KafkaException ? RetryCause.SERVER_ERROR : RetryCause.SINK_ERROR, reason);
    }

    boolean holds() {
        return kind == Kind.HOLD_CREDENTIALS || kind == Kind.HOLD_BLOCKED;
    }

    /** Whether the records after this one in the batch need not be tried now: the next would fail the same way. */
    boolean stopsTheBatch() {
        return kind != Kind.REJECT;
    }
}
