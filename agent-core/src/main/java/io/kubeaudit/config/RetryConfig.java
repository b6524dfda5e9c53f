package io.kubeaudit.config;

import java.time.Duration;

/**
 * How failed deliveries are retried: exponential backoff with full jitter from {@code initialBackoff}
 * up to {@code maxBackoff}, forever (there is no attempt limit after which events are dropped).
 * Refused credentials (401/403) are retried at a slow pace between maxBackoff/2 and maxBackoff.
 */
public record RetryConfig(Duration initialBackoff, Duration maxBackoff) {

    public RetryConfig {
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("ship.retry.initialBackoff must be positive, found " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("ship.retry.maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
        }
    }

    public static RetryConfig defaults() {
        return new RetryConfig(Duration.ofMillis(100), Duration.ofSeconds(30));
    }
}
