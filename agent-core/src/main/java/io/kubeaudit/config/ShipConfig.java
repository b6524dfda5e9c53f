package io.kubeaudit.config;

import java.time.Duration;
import java.util.List;

/** The shipping pipeline. Settings: {@link #SETTINGS}. */
public record ShipConfig(String stateDir, StartPosition start, long memoryBudget, BatchConfig batch,
                         List<DestinationConfig> destinations, String nodeName, String clusterName,
                         RetryConfig retry, Duration shutdownTimeout) {

    static final Setting<String> STATE_DIR = Setting.of("stateDir", Types.ABSOLUTE_PATH, "/var/lib/kube-audit-agent",
            "checkpoints, dead letters and the second backup copy live here");
    static final Setting<StartPosition> START = Setting.of("start", Types.lowerCaseEnum(StartPosition.class), StartPosition.BEGINNING,
            "where to start reading a log that has no checkpoint yet");
    static final Setting<Long> MEMORY_BUDGET = Setting.of("memoryBudget", Types.SIZE, 64L * 1024 * 1024,
                    "bytes of events held in memory at most; beyond it the follower waits (the log on disk is the buffer)")
            .check(bytes -> bytes >= 1024 * 1024, "must be at least 1MiB");
    static final Setting<String> NODE_NAME = Setting.of("nodeName", Types.STRING, "",
            "added to each event as the annotation kube-audit-agent/node: where it was observed").shownAs("the host name");
    static final Setting<String> CLUSTER_NAME = Setting.of("clusterName", Types.STRING, "",
            "added to each event as the annotation kube-audit-agent/cluster; empty: no annotation");
    static final Setting<Duration> SHUTDOWN_TIMEOUT = Setting.of("shutdownTimeout", Types.DURATION, Duration.ofSeconds(10),
            "on SIGTERM, how long in-flight batches may take to finish before the agent exits (what is unfinished is"
                    + " sent again after the restart)");
    static final Setting<BatchConfig> BATCH = Setting.section("batch", BatchConfig.SETTINGS);
    static final Setting<RetryConfig> RETRY = Setting.section("retry", RetryConfig.SETTINGS);
    static final Setting<List<DestinationConfig>> DESTINATIONS = Setting.of("destinations",
            ListType.of(DestinationTypes.TYPES).unique(DestinationConfig::name, "names must be unique",
                    name -> "destination name \"" + name + "\" is used twice; names key checkpoints and must be unique"),
            List.of(), "where events go; several may run at once, each with its own batches, retries, acknowledgements,"
                    + " checkpoint and dead-letter file; none: events stay on the node");

    public static final Section<ShipConfig> SETTINGS = Section.of("ship",
            "Shipping: events leave the node only once a destination acknowledged them; checkpoints live in stateDir.",
            v -> new ShipConfig(v.get(STATE_DIR), v.get(START), v.get(MEMORY_BUDGET), v.get(BATCH), v.get(DESTINATIONS),
                    v.get(NODE_NAME), v.get(CLUSTER_NAME), v.get(RETRY), v.get(SHUTDOWN_TIMEOUT)),
            STATE_DIR, START, MEMORY_BUDGET, NODE_NAME, CLUSTER_NAME, SHUTDOWN_TIMEOUT, BATCH, RETRY, DESTINATIONS);

    public ShipConfig {
        destinations = List.copyOf(destinations);
    }

    public static ShipConfig defaults() {
        return SETTINGS.defaults();
    }

    public enum StartPosition { BEGINNING, END }
}
