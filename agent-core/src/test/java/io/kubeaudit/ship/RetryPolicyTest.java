package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), new Random(1));

    @Test
    void fullJitterStaysUnderAnExponentialCeilingCappedAtTheMaximum() {
        for (int attempt = 1; attempt <= 60; attempt++) {
            long ceiling = Math.min(30_000, 100L << Math.min(attempt - 1, 20));
            for (int i = 0; i < 200; i++) {
                long d = policy.delay(attempt, Optional.empty()).toMillis();
                assertTrue(d >= 0 && d <= ceiling, "attempt " + attempt + ": " + d + " > " + ceiling);
            }
        }
    }

    @Test
    void jitterSpreadsRetries() {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 500; i++) {
            long d = policy.delay(10, Optional.empty()).toMillis();
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
        assertTrue(max - min > 20_000, "spread over most of [0, 30s]: " + min + ".." + max);
    }

    @Test
    void retryAfterIsObeyedAndCapped() {
        assertEquals(Duration.ofSeconds(7), policy.delay(1, Optional.of(Duration.ofSeconds(7))));
        assertEquals(RetryPolicy.MAX_RETRY_AFTER, policy.delay(1, Optional.of(Duration.ofHours(3))));
        assertEquals(Duration.ofMillis(100), policy.delay(1, Optional.of(Duration.ofMillis(5))), "never below the initial backoff");
    }

    @Test
    void retryAfterOfZeroOrInThePastKeepsTheBackoff() {
        RetryPolicy withRetryAfter = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), new Random(3));
        RetryPolicy without = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), new Random(3));
        long total = 0;
        for (int attempt = 1; attempt <= 20; attempt++) {
            Optional<Duration> zeroOrPast = Optional.of(attempt % 2 == 0 ? Duration.ZERO : Duration.ofSeconds(-30));
            Duration d = withRetryAfter.delay(attempt, zeroOrPast);
            assertEquals(without.delay(attempt, Optional.empty()), d, "attempt " + attempt + ": the same as without Retry-After");
            total += d.toMillis();
        }
        assertTrue(total > 60_000, "twenty answers of \"now\" still back off: " + total + "ms in all");
    }

    @Test
    void refusedCredentialsAreRetriedSlowlyButSteadily() {
        for (int i = 0; i < 200; i++) {
            long d = policy.holdDelay().toMillis();
            assertTrue(d >= 15_000 && d <= 30_000, "between half the maximum and the maximum: " + d);
        }
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), new Random()));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
    }
}
