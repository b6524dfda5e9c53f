package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.config.DestinationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 9: a destination that echoes the request's credentials in its refusal never gets them stored or logged. */
class EchoedCredentialsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "tok-7f3a9c1e5b";
    /** A header value with a quote, which a JSON answer echoes escaped. */
    private static final String API_KEY = "key-\"4d2e8b\"-end";

    @TempDir
    Path dir;

    @Test
    void theTokenAndHeaderValuesEchoedInA400AreRedactedInTheDeadLetterRecordAndTheLog() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        List<byte[]> lines = AuditLines.events(0, 20);
        try (Receiver receiver = Receiver.start()) {
            receiver.poisonIds.add(AuditLines.id(5));
            receiver.echoHeaders = true;
            DestinationConfig d = new DestinationConfig("siem", "webhook", receiver.url(), false, "", "", "", tokenFile.toString(),
                    Map.of("X-Api-Key", API_KEY, "X-Tenant", "ab"), Duration.ofSeconds(2), Duration.ofSeconds(10), 3L * 1024 * 1024);
            try (PipelineHarness h = PipelineHarness.builder(dir.resolve("state")).destination(d).start()) {
                new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
                assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), Duration.ofSeconds(20)));
                String stored = Files.readString(dir.resolve("state/dead-letter/siem.ndjson"));
                JsonNode record = JSON.readTree(stored.lines().findFirst().orElseThrow());
                String response = record.get("response").asText();
                assertTrue(response.contains("\"Authorization\":[\"Bearer <redacted>\"]"), response);
                // The JDK's server spells header names its own way.
                assertTrue(response.contains("\"X-api-key\":[\"<redacted>\"]"), response);
                assertTrue(response.contains("\"X-tenant\":[\"ab\"]"), "too short to be a credential: " + response);
                for (String text : List.of(stored, h.logs())) {
                    assertFalse(text.contains("7f3a9c1e5b") || text.contains("4d2e8b"), "a credential was kept:\n" + text);
                }
                assertEquals(20 - receiver.distinct(), stored.lines().count(), "only the refused batch is dead-lettered");
            }
        }
    }
}
