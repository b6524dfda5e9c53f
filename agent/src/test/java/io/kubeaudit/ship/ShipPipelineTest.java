package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline end to end against real HTTP receivers on 127.0.0.1, fed by a stand-in follower. */
class ShipPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyEventArrivesEnrichedAndTheCheckpointReachesTheEnd() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 2000);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, h.pipeline.resumeFrom());
            assertEquals(2000, receiver.awaitDistinct(2000, WAIT), () -> "missing " + receiver.missing(0, 2000));
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            assertEquals(2000, receiver.total(), "no duplicates without failures");
            JsonNode withAnnotations = receiver.event(AuditLines.id(1)).get("annotations");
            assertEquals("allow", withAnnotations.get("authorization.k8s.io/decision").asText());
            assertEquals("cp-1", withAnnotations.get("kube-audit-agent/node").asText());
            assertEquals("prod-eu", withAnnotations.get("kube-audit-agent/cluster").asText());
            JsonNode created = receiver.event(AuditLines.id(10)).get("annotations");
            assertEquals("cp-1", created.get("kube-audit-agent/node").asText(), "an event without annotations gets them");
            assertEquals(2000, h.value("events_shipped_total{destination=\"siem\"}"));
            assertEquals(2000, h.value("events_read_total"));
            assertEquals(LineFeeder.fileLength(lines), h.destinationCheckpoint("siem").orElseThrow().offset());
        }
    }
}
