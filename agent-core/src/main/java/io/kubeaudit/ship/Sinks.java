package io.kubeaudit.ship;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.config.WebhookConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.http.HttpEndpoints;
import io.kubeaudit.ship.http.HttpTransport;
import io.kubeaudit.ship.http.RequestWatchdog;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkSetupException;
import io.kubeaudit.ship.webhook.WebhookSink;
import java.time.InstantSource;

/** Builds the {@link Sink} for a configured destination, one line per destination type. */
final class Sinks {

    private Sinks() {
    }

    static Sink create(DestinationConfig d, NodePaths paths, RequestWatchdog watchdog, InstantSource clock) throws SinkSetupException {
        if (d instanceof WebhookConfig w) {
            return new WebhookSink(HttpEndpoints.open(w.name(), w.http(), paths, watchdog, clock, HttpTransport.EXCERPT_BYTES));
        }
        throw new IllegalStateException("destination " + d.name() + ": no sink for type " + d.type() + " (the settings table has one)");
    }
}
