package io.kubeaudit.config;

import java.time.Duration;
import java.util.List;

/**
 * The shipping pipeline.
 *
 * @param stateDir     checkpoints, dead letters and the second backup copy live here
 * @param start        where to start reading a log with no checkpoint
 * @param memoryBudget bytes of events held in memory at most; beyond it the follower waits
 * @param nodeName     added to each event as an annotation ("where was it observed"); empty: the host name
 * @param clusterName  added to each event as an annotation; empty: none
 * @param retry        backoff of failed deliveries (retried forever)
 * @param shutdownTimeout on SIGTERM, how long in-flight batches may take to finish before the agent exits
 *                     (what is unfinished is sent again after the restart)
 */
public record ShipConfig(String stateDir, StartPosition start, long memoryBudget, BatchConfig batch,
                         List<DestinationConfig> destinations, String nodeName, String clusterName,
                         RetryConfig retry, Duration shutdownTimeout) {

    public ShipConfig {
        destinations = List.copyOf(destinations);
    }

    public static ShipConfig defaults() {
        return new ShipConfig("/var/lib/kube-audit-agent", StartPosition.BEGINNING, 64L * 1024 * 1024,
                BatchConfig.defaults(), List.of(), "", "", RetryConfig.defaults(), Duration.ofSeconds(10));
    }

    public enum StartPosition { BEGINNING, END }
}
