package io.kubeaudit.ship.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.HttpEndpointConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.http.HttpEndpoints;
import io.kubeaudit.ship.http.HttpTransport;
import io.kubeaudit.ship.http.RequestWatchdog;
import io.kubeaudit.ship.http.ScriptedHttpDestination;
import io.kubeaudit.ship.http.ScriptedHttpDestination.Answer;
import io.kubeaudit.ship.sink.AuditFields;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.SinkBatch;
import io.kubeaudit.ship.sink.SinkEvent;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook sink alone: its body is the API server's EventList, its answers are read for the whole request. */
class WebhookSinkTest {

    private final RequestWatchdog watchdog = new RequestWatchdog(Ticker.system());

    @AfterEach
    void stop() {
        watchdog.close();
    }

    @Test
    void theBodyIsAnEventListOfTheEventsOwnBytes() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(200, "application/json", "{}"))) {
            Outcome o = sink(d, false).send(batch("{\"kind\":\"Event\",\"auditID\":\"a\"}", "{\"kind\":\"Event\",\"auditID\":\"b\"}"));
            assertSame(Outcome.DELIVERED, o);
            ScriptedHttpDestination.Request r = d.requests().get(0);
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
                    + "{\"kind\":\"Event\",\"auditID\":\"a\"},{\"kind\":\"Event\",\"auditID\":\"b\"}]}", r.text());
        }
    }

    @Test
    void gzipCompressesTheSameBody() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(204, "text/plain", ""))) {
            assertSame(Outcome.DELIVERED, sink(d, true).send(batch("{\"auditID\":\"a\"}")));
            assertEquals("gzip", d.requests().get(0).header("Content-Encoding"));
            assertTrue(d.requests().get(0).text().endsWith("\"items\":[{\"auditID\":\"a\"}]}"), "decoded by the destination");
        }
    }

    @Test
    void anHtmlPageInsteadOfAnAnswerIsDeliveredWithAWarning() throws Exception {
        String page = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Corporate proxy login</body></html>";
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(200, "text/html; charset=utf-8", page))) {
            Outcome.Delivered o = assertInstanceOf(Outcome.Delivered.class, sink(d, false).send(batch("{\"auditID\":\"a\"}")));
            String warning = o.warning().orElseThrow();
            assertTrue(warning.contains("text/html; charset=utf-8"), warning);
            assertTrue(warning.contains("<title>Sign in</title>"), "a short excerpt: " + warning);
        }
    }

    @Test
    void theStatusSpeaksForTheWholeBatch() throws Exception {
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> Answer.respond(400, "application/json", "{\"error\":\"bad\"}"))) {
            Outcome.Rejected rejected = assertInstanceOf(Outcome.Rejected.class, sink(d, false).send(batch("{\"auditID\":\"a\"}")));
            assertEquals("HTTP 400 {\"error\":\"bad\"}", rejected.reason());
            d.script(r -> Answer.respond(401, "text/plain", "who are you"));
            assertInstanceOf(Outcome.Held.class, sink(d, false).send(batch("{\"auditID\":\"a\"}")));
        }
    }

    private WebhookSink sink(ScriptedHttpDestination d, boolean gzip) throws Exception {
        HttpEndpointConfig c = new HttpEndpointConfig(d.url("/k8s-audit"), "", "", "", "", "", "", Map.of(), gzip,
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        return new WebhookSink(HttpEndpoints.open("siem", c, NodePaths.of("/"), watchdog, Ticker.system(), HttpTransport.EXCERPT_BYTES));
    }

    private static SinkBatch batch(String... events) {
        List<SinkEvent> list = java.util.Arrays.stream(events).map(e -> (SinkEvent) new Bytes(e.getBytes(StandardCharsets.UTF_8))).toList();
        return new SinkBatch() {
            @Override
            public List<? extends SinkEvent> events() {
                return list;
            }

            @Override
            public long bytes() {
                return list.stream().mapToLong(SinkEvent::length).sum();
            }
        };
    }

    private record Bytes(byte[] bytes) implements SinkEvent {
        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public AuditFields fields() {
            return AuditFields.read(bytes);
        }
    }
}
