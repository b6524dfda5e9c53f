package io.kubeaudit.ship;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.config.KafkaConfig;
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
     * @param nodeName    where the events were observed (the host name unless configured)
     * @param memoryBudget ship.memoryBudget, of which a destination's client may reserve a share
     */
    static Sink create(DestinationConfig d, NodePaths paths, String nodeName, String clusterName, long memoryBudget,
                       RequestWatchdog watchdog, InstantSource clock) throws SinkSetupException {
        if (d.type().equals("webhook")) {
            return new WebhookSink(HttpEndpoints.open(d.name(), d.http(), paths, watchdog, clock, HttpTransport.EXCERPT_BYTES));
        }
        if (d.kafka().isPresent()) {
            // Named only here, so the Kafka client's classes load only when a kafka destination is configured.
            return KafkaSink.create(d.kafka().get(), paths, nodeName, clusterName, KafkaConfig.bufferBytes(memoryBudget));
        }
        throw new SinkSetupException("destination " + d.name() + ": type " + d.type()
                + " is not supported by this version of the agent yet; use type webhook or kafka");
    }
}
