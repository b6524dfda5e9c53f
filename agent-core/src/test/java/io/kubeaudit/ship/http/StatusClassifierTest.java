package io.kubeaudit.ship.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.RetryCause;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusClassifierTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void eachStatusClassMapsToWhatThePipelinePromises() {
        assertInstanceOf(Outcome.Delivered.class, classify(200));
        assertInstanceOf(Outcome.Delivered.class, classify(204));
        assertEquals(RetryCause.TIMEOUT, retry(408).cause());
        assertEquals(RetryCause.THROTTLED, retry(429).cause());
        assertEquals(RetryCause.SERVER_ERROR, retry(500).cause());
        assertEquals(RetryCause.SERVER_ERROR, retry(503).cause());
        assertEquals(RetryCause.SERVER_ERROR, retry(501).cause());
        assertEquals(Outcome.HoldCause.CREDENTIALS, ((Outcome.Held) classify(401)).cause());
        assertEquals(Outcome.HoldCause.CREDENTIALS, ((Outcome.Held) classify(403)).cause());
        assertInstanceOf(Outcome.TooLarge.class, classify(413));
        assertInstanceOf(Outcome.Rejected.class, classify(400));
        assertInstanceOf(Outcome.Rejected.class, classify(422));
        assertEquals(RetryCause.UNEXPECTED_STATUS, retry(302).cause(), "a redirect is a wrong url: hold, never drop");
    }

    @Test
    void aWrongUrlIsHeldNotRejected() {
        Outcome.Retry notFound = retry(404);
        assertEquals(RetryCause.UNEXPECTED_STATUS, notFound.cause(), "every event would be refused: hold until the url is fixed");
        assertTrue(notFound.reason().contains("check the destination url"), notFound.reason());
        assertEquals(RetryCause.UNEXPECTED_STATUS, retry(405).cause());
    }

    @Test
    void theRejectionKeepsTheResponseAndTheRetryKeepsRetryAfter() {
        Outcome.Rejected r = (Outcome.Rejected) StatusClassifier.classify(response(400, Map.of(), "{\"error\":\"bad event\"}\nmore"));
        assertEquals("HTTP 400 {\"error\":\"bad event\"}", r.reason());
        assertEquals("{\"error\":\"bad event\"}\nmore", r.response());
        Outcome.Retry t = (Outcome.Retry) StatusClassifier.classify(response(429, Map.of("retry-after", "3"), ""));
        assertEquals(Optional.of(Duration.ofSeconds(3)), t.after());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), retryAfter("120"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), retryAfter("Thu, 26 Nov 2026 12:01:30 GMT"));
        assertEquals(Optional.of(Duration.ofSeconds(-30)), retryAfter("Thu, 26 Nov 2026 11:59:30 GMT"), "the policy decides about the past");
        assertEquals(Optional.empty(), retryAfter("soon"));
        assertEquals(Optional.empty(), response(429, Map.of(), "").retryAfter());
        assertTrue(retryAfter("99999999999999999999999").orElseThrow().toDays() >= 365);
    }

    private static Optional<Duration> retryAfter(String value) {
        return response(429, Map.of("retry-after", value), "").retryAfter();
    }

    static HttpResponse response(int status, Map<String, String> headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new HttpResponse(status, headers, bytes, bytes.length, NOW);
    }

    private static Outcome classify(int status) {
        return StatusClassifier.classify(response(status, Map.of(), "reason text"));
    }

    private static Outcome.Retry retry(int status) {
        return (Outcome.Retry) classify(status);
    }
}
