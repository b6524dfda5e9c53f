package io.kubeaudit.config;

import java.time.Duration;

/**
 * @param listen         host:port of the loopback metrics and health endpoint; empty: off
 * @param stallThreshold /healthz turns unhealthy when nothing was acknowledged this long while events wait
 */
public record MetricsConfig(String listen, Duration stallThreshold) {

    public static MetricsConfig defaults() {
        return new MetricsConfig("127.0.0.1:9880", Duration.ofMinutes(5));
    }
}
