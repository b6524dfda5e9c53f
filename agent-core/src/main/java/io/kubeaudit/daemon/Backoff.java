package io.kubeaudit.daemon;

import java.time.Duration;

/**
 * Waits between failed setup attempts: {@code initial}, then doubling up to {@code max}; a success
 * resets it. The reconcile loop never retries a failing apply sooner, so a broken node restarts its
 * API server at most once per wait, never in a hot loop. Owned by the reconcile thread.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;
    private int failures;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    Duration failed() {
        failures++;
        Duration wait = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return wait;
    }

    void succeeded() {
        failures = 0;
        next = initial;
    }

    int consecutiveFailures() {
        return failures;
    }
}
