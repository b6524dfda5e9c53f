package io.kubeaudit.config;

import java.time.Duration;

/** The loopback metrics and health endpoint. Settings: {@link #SETTINGS}. */
public record MetricsConfig(String listen, Duration stallThreshold) {

    static final Setting<String> LISTEN = Setting.of("listen", Types.STRING, "127.0.0.1:9880",
            "host:port of the metrics (/metrics) and health (/healthz) endpoint; empty: off");
    static final Setting<Duration> STALL_THRESHOLD = Setting.of("stallThreshold", Types.DURATION, Duration.ofMinutes(5),
            "/healthz turns unhealthy when nothing was acknowledged this long while events wait");

    public static final Section<MetricsConfig> SETTINGS = Section.of("metrics", "The metrics and health endpoint.",
            v -> new MetricsConfig(v.get(LISTEN), v.get(STALL_THRESHOLD)), LISTEN, STALL_THRESHOLD);

    public static MetricsConfig defaults() {
        return SETTINGS.defaults();
    }
}
