package io.kubeaudit.ship.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.HttpEndpointConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.http.ScriptedHttpDestination.Answer;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.RetryCause;
import io.kubeaudit.time.Ticker;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared HTTP steps against a destination that answers the way real servers and proxies fail. */
class HttpSenderTest {

    private final RequestWatchdog watchdog = new RequestWatchdog(Ticker.system());

    @TempDir
    Path dir;

    @AfterEach
    void stopWatchdog() {
        watchdog.close();
    }

    @Test
    void aCompleteAnswerComesBackWithStatusHeadersAndBody() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(200, "application/json", "{\"ok\":true}"))) {
            HttpResponse r = sender(endpoint(d.url("/audit"))).send(request("hello"));
            assertEquals(200, r.status());
            assertEquals("application/json", r.contentType());
            assertEquals("{\"ok\":true}", r.text());
            assertEquals("hello", d.requests().get(0).text());
            assertEquals("POST", d.requests().get(0).method());
            assertEquals("/audit", d.requests().get(0).path());
        }
    }

    @Test
    void aStatusLineFollowedByAClosedConnectionIsNotAnAcknowledgement() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> new Answer.CloseAfterStatusLine(200))) {
            Outcome o = deliver(d);
            assertEquals(RetryCause.CONNECTION, assertInstanceOf(Outcome.Retry.class, o).cause(), o.toString());
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsNotAnAcknowledgement() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> new Answer.ShortBody(200, 100, "{\"took\":"))) {
            Outcome.Retry retry = assertInstanceOf(Outcome.Retry.class, deliver(d));
            assertEquals(RetryCause.CONNECTION, retry.cause());
            assertTrue(retry.reason().contains("ended after 8 of the 100 body bytes"), retry.reason());
        }
    }

    @Test
    void aChunkedBodyCutOffIsNotAnAcknowledgement() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> new Answer.CutChunked(200, "{\"items\":["))) {
            assertEquals(RetryCause.CONNECTION, assertInstanceOf(Outcome.Retry.class, deliver(d)).cause());
        }
    }

    @Test
    void aResetAfterTheRequestWasSentIsRetried() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> new Answer.ResetAfterRequest())) {
            assertEquals(RetryCause.CONNECTION, assertInstanceOf(Outcome.Retry.class, deliver(d)).cause());
            assertEquals(1, d.requests().size(), "the request arrived whole before the reset");
        }
    }

    @Test
    void noAnswerWithinTheRequestTimeoutIsATimeout() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> new Answer.Hang())) {
            HttpSender sender = sender(new HttpEndpointConfig(d.url("/audit"), "", "", "", "", "", "", Map.of(), false,
                    Duration.ofSeconds(2), Duration.ofMillis(300)));
            Outcome.Retry retry = assertInstanceOf(Outcome.Retry.class, sender.deliver(request("x"), StatusClassifier::classify));
            assertEquals(RetryCause.TIMEOUT, retry.cause(), retry.reason());
        }
    }

    @Test
    void aServerThatStopsReadingTheBodyIsCutOffByTheWatchdog() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(200, "text/plain", ""))) {
            d.stallBodies();
            HttpEndpointConfig c = new HttpEndpointConfig(d.url("/audit"), "", "", "", "", "", "", Map.of(), false,
                    Duration.ofSeconds(2), Duration.ofMillis(300));
            Body endless = new Body() {
                @Override
                public long length() {
                    return Long.MAX_VALUE / 2;
                }

                @Override
                public void writeTo(OutputStream out) throws java.io.IOException {
                    byte[] chunk = new byte[64 * 1024];
                    while (true) {
                        out.write(chunk);
                    }
                }
            };
            // The destination reads the headers and then nothing: once the socket buffers are full, the writer blocks.
            Outcome.Retry retry = assertInstanceOf(Outcome.Retry.class, sender(c).deliver(new HttpRequest(Map.of(), endless),
                    StatusClassifier::classify));
            assertEquals(RetryCause.TIMEOUT, retry.cause(), retry.reason());
            assertTrue(retry.reason().contains("request timeout of 300ms"), retry.reason());
        }
    }

    @Test
    void stepsRunInTheirOrderHeadersThenAuthorizationThenGzip() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t0k3n\n");
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(204, "text/plain", ""))) {
            HttpEndpointConfig c = new HttpEndpointConfig(d.url("/audit"), "", "", "", token.toString(), "", "",
                    Map.of("X-Scope", "audit", "Authorization", "from-headers"), true, Duration.ofSeconds(2), Duration.ofSeconds(2));
            sender(c).send(request("a body that is compressed"));
            ScriptedHttpDestination.Request r = d.requests().get(0);
            assertEquals("audit", r.header("X-Scope"));
            assertEquals("Bearer t0k3n", r.header("Authorization"), "the credential file wins over a header of the same name");
            assertEquals("gzip", r.header("Content-Encoding"));
            assertEquals("a body that is compressed", r.text());
        }
    }

    @Test
    void anUnreadableCredentialHoldsTheDestination() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(200, "text/plain", ""))) {
            HttpEndpointConfig c = new HttpEndpointConfig(d.url("/audit"), "", "", "", "", dir.resolve("missing").toString(), "",
                    Map.of(), false, Duration.ofSeconds(2), Duration.ofSeconds(2));
            Outcome.Held held = assertInstanceOf(Outcome.Held.class, sender(c).deliver(request("x"), StatusClassifier::classify));
            assertEquals(Outcome.HoldCause.CREDENTIALS, held.cause());
            assertTrue(held.reason().contains("missing"), held.reason());
            assertEquals(0, d.requests().size(), "nothing is sent without the credential");
        }
    }

    private Outcome deliver(ScriptedHttpDestination d) throws Exception {
        return sender(endpoint(d.url("/audit"))).deliver(request("x"), StatusClassifier::classify);
    }

    private HttpSender sender(HttpEndpointConfig c) throws Exception {
        return HttpEndpoints.open("test", c, NodePaths.of("/"), watchdog, Ticker.system(), HttpTransport.EXCERPT_BYTES);
    }

    static HttpEndpointConfig endpoint(String url) {
        return new HttpEndpointConfig(url, "", "", "", "", "", "", Map.of(), false, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static HttpRequest request(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.of("text/plain", new Body() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws java.io.IOException {
                out.write(bytes);
            }
        });
    }
}
