package io.kubeaudit.ship;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a batch again. There is no attempt limit: an audit event is never dropped because a
 * destination was down for long (the log on disk is the buffer, backpressure holds the rest). Delays
 * grow exponentially from {@code initial} to {@code max} with full jitter, so many agents recovering at
 * once do not hit the destination in step; a server's Retry-After is obeyed instead when it sends one,
 * but never below {@code initial}, and one of 0 or a date in the past keeps the backoff: a server that
 * keeps saying "now" must not make a hot loop.
 */
final class RetryPolicy {

    /** A Retry-After beyond this is taken as this: a misconfigured server must not park the pipeline for hours. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    RetryPolicy(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, found " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial backoff " + initial);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait after the {@code attempt}-th consecutive failure (1-based). */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent() && retryAfter.get().compareTo(Duration.ZERO) > 0) {
            return honoured(retryAfter.get());
        }
        return jittered(ceiling(attempt));
    }

    /**
     * Credentials and blocked indexes are fixed by people, not by waiting a few milliseconds: retry at a
     * slow, steady pace (between half the maximum backoff and the maximum) so a fix is picked up soon
     * without hammering the destination with requests it refuses.
     */
    Duration holdDelay() {
        long half = max.toMillis() / 2;
        return Duration.ofMillis(half + random.nextLong(max.toMillis() - half + 1));
    }

    private Duration honoured(Duration retryAfter) {
        if (retryAfter.compareTo(initial) < 0) {
            return initial;
        }
        return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
    }

    /** initial·2^(attempt-1), capped at max. */
    private Duration ceiling(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 40));
        long millis = initial.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    private Duration jittered(Duration ceiling) {
        return Duration.ofMillis(random.nextLong(ceiling.toMillis() + 1));
    }
}
