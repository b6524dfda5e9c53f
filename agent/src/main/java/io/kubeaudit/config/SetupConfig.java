package io.kubeaudit.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What the daemon does about the node's audit setup.
 *
 * @param enabled           false on nodes where only shipping is wanted (the setup is managed elsewhere)
 * @param reconcileInterval how often the manifest and policy are compared with the config (also on file change)
 * @param onDrift           what to do when something changed the audit settings: re-apply or only report
 * @param backoffInitial    wait after the first failed apply; doubles after each further failure
 * @param backoffMax        the longest wait between failed applies
 */
public record SetupConfig(boolean enabled, Duration reconcileInterval, DriftAction onDrift, Duration backoffInitial,
                          Duration backoffMax) {

    public SetupConfig {
        Objects.requireNonNull(onDrift, "onDrift");
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("setup.reconcileInterval must be positive");
        }
        if (backoffInitial.isNegative() || backoffInitial.isZero() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("setup.backoff needs 0 < initial <= max");
        }
    }

    public static SetupConfig defaults() {
        return new SetupConfig(true, Duration.ofSeconds(60), DriftAction.REAPPLY, Duration.ofSeconds(30), Duration.ofMinutes(30));
    }

    public enum DriftAction { REAPPLY, REPORT }
}
