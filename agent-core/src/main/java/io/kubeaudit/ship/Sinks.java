package io.kubeaudit.ship;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.config.KafkaConfig;
import io.kubeaudit.config.WebhookConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.http.HttpEndpoints;
import io.kubeaudit.ship.http.HttpTransport;
import io.kubeaudit.ship.http.RequestWatchdog;
import io.kubeaudit.ship.kafka.KafkaSink;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkSetupException;
import io.kubeaudit.ship.webhook.WebhookSink;
import java.time.InstantSource;

/** Builds the {@link Sink} for a configured destination, one line per destination type. */
final class Sinks {

    private Sinks() {
    }

    /**
     * @param nodeName     where the events were observed (the host name unless configured)
     * @param memoryBudget ship.memoryBudget, of which a destination's client may reserve a share
     */
    static Sink create(DestinationConfig d, NodePaths paths, String nodeName, String clusterName, long memoryBudget,
                       RequestWatchdog watchdog, InstantSource clock) throws SinkSetupException {
        // Java 17 has no pattern switch: one instanceof per type of the sealed DestinationConfig.
        if (d instanceof WebhookConfig w) {
            return new WebhookSink(HttpEndpoints.open(w.name(), w.http(), paths, watchdog, clock, HttpTransport.EXCERPT_BYTES));
        }
        if (d instanceof KafkaConfig k) {
            // Named only here, so the Kafka client's classes load only when a kafka destination is configured.
            return KafkaSink.create(k, paths, nodeName, clusterName, KafkaConfig.bufferBytes(memoryBudget));
        }
        throw new IllegalStateException("destination " + d.name() + ": no sink for type " + d.type() + " (DestinationTypes has its table)");
    }
}
