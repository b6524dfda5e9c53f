package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import io.kubeaudit.time.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /healthz turns 503 when events wait and nothing is acknowledged past the threshold; /metrics serves the registry. */
class HealthTest {

    @TempDir
    Path dir;

    private final FakeTicker ticker = FakeTicker.manual();

    @Test
    void aStalledDestinationMakesHealthzFailAndRecoveryHealsIt() throws Exception {
        int port = ShipPipelineIT.freePort();
        try (PipelineHarness h = PipelineHarness.builder(dir).clock(ticker, Duration.ofMinutes(5))
                .webhook("siem", "http://127.0.0.1:" + port + "/audit").start();
             MetricsServer server = MetricsServer.start("127.0.0.1:0", h.metrics, () -> h.pipeline.health().problems())) {
            HttpClient client = HttpClient.newHttpClient();
            assertEquals(200, get(client, server, "/healthz").statusCode(), "idle is healthy");
            new LineFeeder(h.pipeline.intake()).feed(AuditLines.events(0, 50), Optional.empty());
            ticker.advance(Duration.ofMinutes(4));
            assertEquals(200, get(client, server, "/healthz").statusCode(), "waiting less than the threshold is not a stall");
            ticker.advance(Duration.ofMinutes(2));
            HttpResponse<String> stalled = get(client, server, "/healthz");
            assertEquals(503, stalled.statusCode());
            assertTrue(stalled.body().contains("destination siem: nothing acknowledged for 360s"), stalled.body());
            try (Receiver receiver = Receiver.startOn(port)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!h.pipeline.health().problems().isEmpty() && System.nanoTime() < deadline) {
                    ticker.advance(Duration.ofSeconds(1));
                    Thread.sleep(20);
                }
                assertEquals(List.of(), h.pipeline.health().problems());
            }
            HttpResponse<String> metrics = get(client, server, "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(metrics.body().contains("kube_audit_agent_events_shipped_total{destination=\"siem\"} 50"), metrics.body());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri(server, "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void aBadListenAddressIsNamed() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> MetricsServer.start("localhost", new Metrics(), List::of));
        assertTrue(e.getMessage().contains("metrics.listen"), e.getMessage());
    }

    private static HttpResponse<String> get(HttpClient client, MetricsServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(MetricsServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
