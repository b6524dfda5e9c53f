package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kubeaudit.ship.DeliveryOutcome.RetryCause;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpStatusClassifierTest {

    @Test
    void eachStatusClassMapsToWhatThePipelinePromises() {
        assertInstanceOf(DeliveryOutcome.Delivered.class, classify(200));
        assertInstanceOf(DeliveryOutcome.Delivered.class, classify(204));
        assertEquals(RetryCause.TIMEOUT, retry(408).cause());
        assertEquals(RetryCause.THROTTLED, retry(429).cause());
        assertEquals(RetryCause.SERVER_ERROR, retry(500).cause());
        assertEquals(RetryCause.SERVER_ERROR, retry(503).cause());
        assertEquals(RetryCause.SERVER_ERROR, retry(501).cause());
        assertInstanceOf(DeliveryOutcome.AuthFailed.class, classify(401));
        assertInstanceOf(DeliveryOutcome.AuthFailed.class, classify(403));
        assertInstanceOf(DeliveryOutcome.TooLarge.class, classify(413));
        assertInstanceOf(DeliveryOutcome.Rejected.class, classify(400));
        assertInstanceOf(DeliveryOutcome.Rejected.class, classify(404));
        assertInstanceOf(DeliveryOutcome.Rejected.class, classify(422));
        assertEquals(RetryCause.UNEXPECTED_STATUS, retry(302).cause(), "a redirect is a wrong url: hold, never drop");
    }

    @Test
    void theRejectionKeepsTheResponseAndTheRetryKeepsRetryAfter() {
        DeliveryOutcome.Rejected r = (DeliveryOutcome.Rejected) HttpStatusClassifier.classify(
                new HttpPost.Response(400, Optional.empty(), "{\"error\":\"bad event\"}\nmore"));
        assertEquals("HTTP 400 {\"error\":\"bad event\"}", r.reason());
        assertEquals("{\"error\":\"bad event\"}\nmore", r.response());
        DeliveryOutcome.Retry t = (DeliveryOutcome.Retry) HttpStatusClassifier.classify(
                new HttpPost.Response(429, Optional.of(Duration.ofSeconds(3)), ""));
        assertEquals(Optional.of(Duration.ofSeconds(3)), t.after());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        HttpPost post = new HttpPost(null, Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1), null,
                InstantSource.fixed(Instant.parse("2026-11-26T12:00:00Z")));
        assertEquals(Optional.of(Duration.ofSeconds(120)), post.retryAfter("120"));
        assertEquals(Optional.of(Duration.ofSeconds(90)), post.retryAfter("Thu, 26 Nov 2026 12:01:30 GMT"));
        assertEquals(Optional.empty(), post.retryAfter("soon"));
        assertEquals(Optional.empty(), post.retryAfter(null));
        assertEquals(Optional.of(RetryPolicy.MAX_RETRY_AFTER), post.retryAfter("99999999999999999999999"));
    }

    private static DeliveryOutcome classify(int status) {
        return HttpStatusClassifier.classify(new HttpPost.Response(status, Optional.empty(), "reason text"));
    }

    private static DeliveryOutcome.Retry retry(int status) {
        return (DeliveryOutcome.Retry) classify(status);
    }
}
