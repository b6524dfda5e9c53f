package io.kubeaudit.ship.sink;

import java.util.Locale;

/** Why an attempt is retried, for the {@code retries_total{cause}} metric and the log. */
public enum RetryCause {
    CONNECTION, TIMEOUT, THROTTLED, SERVER_ERROR, UNEXPECTED_STATUS,
    /** A success status whose body is not this destination's answer (a proxy's page): nothing says the events were taken. */
    UNEXPECTED_ANSWER,
    /** The sink threw instead of answering: a bug or an unforeseen state, retried like a failed request. */
    SINK_ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
