package io.kubeaudit.config;

import java.time.Duration;

/** A batch closes at whichever limit comes first; up to {@code maxInFlight} batches are sent at once. Settings: {@link #SETTINGS}. */
public record BatchConfig(int maxEvents, long maxBytes, Duration maxWait, int maxInFlight) {

    static final Setting<Integer> MAX_EVENTS = Setting.of("maxEvents", Types.integer(1, 1_000_000), 2000,
            "events in one batch at most");
    static final Setting<Long> MAX_BYTES = Setting.of("maxBytes", Types.SIZE, 4L * 1024 * 1024,
            "bytes of events in one batch at most");
    static final Setting<Duration> MAX_WAIT = Setting.of("maxWait", Types.DURATION, Duration.ofSeconds(1),
            "a batch that is not full is sent this long after its first event");
    static final Setting<Integer> MAX_IN_FLIGHT = Setting.of("maxInFlight", Types.integer(1, 64), 4,
            "batches sent at once to each destination");

    public static final Section<BatchConfig> SETTINGS = Section.of("ship.batch",
            "How events are batched for every destination: a batch closes at whichever limit comes first.",
            v -> new BatchConfig(v.get(MAX_EVENTS), v.get(MAX_BYTES), v.get(MAX_WAIT), v.get(MAX_IN_FLIGHT)),
            MAX_EVENTS, MAX_BYTES, MAX_WAIT, MAX_IN_FLIGHT);

    public static BatchConfig defaults() {
        return SETTINGS.defaults();
    }
}
