package io.kubeaudit.ship;

import java.time.Duration;
import java.util.Optional;

/** What a destination made of one request. Destinations classify; the pipeline decides what follows. */
sealed interface DeliveryOutcome {

    /** Accepted: the batch is acknowledged. */
    record Delivered() implements DeliveryOutcome {
    }

    /** Temporary (timeouts, connection errors, 408, 429, 5xx): send the same batch again, forever if need be. */
    record Retry(RetryCause cause, String reason, Optional<Duration> after) implements DeliveryOutcome {
    }

    /** Permanent for this batch (other 4xx): it goes to the dead-letter file with the response; the pipeline goes on. */
    record Rejected(String reason, String response) implements DeliveryOutcome {
    }

    /** The request was too large (413): the pipeline sends the batch again in halves. */
    record TooLarge(String reason) implements DeliveryOutcome {
    }

    /** 401/403: never counted as delivered; the pipeline holds, alerts and retries slowly until credentials are fixed. */
    record AuthFailed(String reason) implements DeliveryOutcome {
    }

    /** Why a retry happened, for the {@code retries_total{cause}} metric. */
    enum RetryCause {
        CONNECTION, TIMEOUT, THROTTLED, SERVER_ERROR, UNEXPECTED_STATUS;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
