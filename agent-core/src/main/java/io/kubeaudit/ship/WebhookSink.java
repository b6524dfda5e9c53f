package io.kubeaudit.ship;

import io.kubeaudit.ship.DeliveryOutcome.RetryCause;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The kube-apiserver webhook backend's protocol: POST an {@code EventList} as {@code application/json},
 * so Falco's k8saudit plugin and SIEM collectors built for the API server take it unchanged. Optional
 * bearer token (re-read when its file changes), extra headers and gzip.
 */
final class WebhookSink implements Sink {

    private final URL url;
    private final HttpPost post;
    private final Optional<BearerToken> token;
    private final Map<String, String> headers;
    private final boolean gzip;
    private final KnownSecrets secrets;

    WebhookSink(URL url, HttpPost post, Optional<BearerToken> token, Map<String, String> headers, boolean gzip) {
        this.url = url;
        this.post = post;
        this.token = token;
        this.headers = Map.copyOf(headers);
        this.gzip = gzip;
        this.secrets = new KnownSecrets(headers.values(), token);
    }

    @Override
    public DeliveryOutcome send(Batch batch) throws InterruptedException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", "application/json");
        if (token.isPresent()) {
            try {
                h.put("Authorization", token.get().authorization());
            } catch (IOException e) {
                return new DeliveryOutcome.AuthFailed("cannot read the bearer token: " + e.getMessage());
            }
        }
        try {
            EventListBody body = new EventListBody(batch);
            HttpPost.Response response;
            if (gzip) {
                GzipBody compressed = GzipBody.of(body, body.length());
                h.put("Content-Encoding", "gzip");
                response = post.post(h, compressed.length(), compressed);
            } else {
                response = post.post(h, body.length(), body);
            }
            return HttpStatusClassifier.classify(secrets.redact(response));
        } catch (SocketTimeoutException e) {
            return new DeliveryOutcome.Retry(RetryCause.TIMEOUT, "timeout: " + e.getMessage(), Optional.empty());
        } catch (SSLException e) {
            return new DeliveryOutcome.Retry(RetryCause.CONNECTION, "TLS: " + e.getMessage()
                    + " (check caFile/certFile/keyFile and the server's certificate)", Optional.empty());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("sending to " + HttpPost.redacted(url) + " was interrupted");
            }
            return new DeliveryOutcome.Retry(RetryCause.CONNECTION, e.getClass().getSimpleName() + ": " + e.getMessage(), Optional.empty());
        }
    }

    @Override
    public void close() {
        // HttpURLConnection keeps idle keep-alive connections in a JDK-wide cache that closes them after its own timeout.
    }

    @Override
    public String toString() {
        return "webhook " + HttpPost.redacted(url);
    }
}
