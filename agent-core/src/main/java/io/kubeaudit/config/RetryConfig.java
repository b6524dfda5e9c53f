package io.kubeaudit.config;

import java.time.Duration;

/**
 * How failed deliveries are retried: exponential backoff with full jitter from {@code initialBackoff}
 * up to {@code maxBackoff}, forever (there is no attempt limit after which events are dropped).
 * Refused credentials (401/403) are retried at a slow pace between maxBackoff/2 and maxBackoff.
 * Settings: {@link #SETTINGS}.
 */
public record RetryConfig(Duration initialBackoff, Duration maxBackoff) {

    static final Setting<Duration> INITIAL_BACKOFF = Setting.of("initialBackoff", Types.DURATION, Duration.ofMillis(100),
                    "the wait before the first retry; doubles with each further failure (full jitter)")
            .check(d -> !d.isZero(), "must be above 0");
    static final Setting<Duration> MAX_BACKOFF = Setting.of("maxBackoff", Types.DURATION, Duration.ofSeconds(30),
            "the longest wait between retries; refused credentials (401/403) are retried between half of it and it");

    public static final Section<RetryConfig> SETTINGS = Section.of("ship.retry",
                    "How failed deliveries are retried: forever (no attempt limit drops events), with exponential backoff.",
                    v -> new RetryConfig(v.get(INITIAL_BACKOFF), v.get(MAX_BACKOFF)),
                    INITIAL_BACKOFF, MAX_BACKOFF)
            .rule(v -> v.get(MAX_BACKOFF).compareTo(v.get(INITIAL_BACKOFF)) >= 0, MAX_BACKOFF,
                    "maxBackoff must not be below initialBackoff",
                    (path, v) -> path + ".maxBackoff must not be below initialBackoff (" + Units.formatDuration(v.get(INITIAL_BACKOFF)) + ")");

    public static RetryConfig defaults() {
        return SETTINGS.defaults();
    }
}
