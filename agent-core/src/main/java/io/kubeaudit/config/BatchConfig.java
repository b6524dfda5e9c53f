package io.kubeaudit.config;

import java.time.Duration;

/** A batch closes at whichever limit comes first; up to {@code maxInFlight} batches are sent at once. */
public record BatchConfig(int maxEvents, long maxBytes, Duration maxWait, int maxInFlight) {

    public static BatchConfig defaults() {
        return new BatchConfig(2000, 4L * 1024 * 1024, Duration.ofSeconds(1), 4);
    }
}
