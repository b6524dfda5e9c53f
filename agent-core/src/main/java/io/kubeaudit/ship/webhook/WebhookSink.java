package io.kubeaudit.ship.webhook;

import io.kubeaudit.ship.http.HttpRequest;
import io.kubeaudit.ship.http.HttpResponse;
import io.kubeaudit.ship.http.HttpSender;
import io.kubeaudit.ship.http.StatusClassifier;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkBatch;
import java.util.Locale;
import java.util.Optional;

/**
 * The kube-apiserver webhook backend's protocol: POST an {@code EventList} as {@code application/json},
 * so Falco's k8saudit plugin and SIEM collectors built for the API server take it unchanged. The answer
 * says nothing per event: its status speaks for the batch.
 */
public final class WebhookSink implements Sink {

    private final HttpSender http;

    public WebhookSink(HttpSender http) {
        this.http = http;
    }

    @Override
    public Outcome send(SinkBatch batch) throws InterruptedException {
        return http.deliver(HttpRequest.of("application/json", new EventListBody(batch)), WebhookSink::read);
    }

    /**
     * Any 2xx is delivered: receivers answer with anything from nothing to {@code {}}. An HTML page is
     * still taken as delivered (some receivers answer that way), but it is what proxies and login
     * portals send in the receiver's place, so it is reported.
     */
    static Outcome read(HttpResponse r) {
        if (!r.isSuccess()) {
            return StatusClassifier.classify(r);
        }
        if (isPage(r)) {
            return new Outcome.Delivered(Optional.of("HTTP " + r.status() + " with " + r.contentType() + ": " + r.excerpt()
                    + " (is a proxy or a login page answering instead of the receiver?)"));
        }
        return Outcome.DELIVERED;
    }

    private static boolean isPage(HttpResponse r) {
        String type = r.contentType().toLowerCase(Locale.ROOT);
        String start = r.excerpt().toLowerCase(Locale.ROOT);
        return type.startsWith("text/html") || start.startsWith("<!doctype html") || start.startsWith("<html");
    }

    @Override
    public void close() {
        // HttpURLConnection keeps idle keep-alive connections in a JDK-wide cache that closes them after its own timeout.
    }

    @Override
    public String toString() {
        return "webhook " + http;
    }
}
