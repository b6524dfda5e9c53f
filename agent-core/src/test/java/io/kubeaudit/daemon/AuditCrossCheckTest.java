package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.kube.FakeKubeApi;
import io.kubeaudit.kube.Kubectl;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCrossCheckTest {

    private final AuditCrossCheck check = new AuditCrossCheck();
    private Instant now = Instant.parse("2026-11-26T10:00:00Z");

    private Optional<CrossCheckResult> sample(double server, double errors, long read, long lag) {
        now = now.plusSeconds(60);
        return check.add(new AuditCrossCheck.Sample(now, server, errors, read, lag));
    }

    @Test
    void matchingCountsAreConsistent() {
        assertEquals(Optional.empty(), sample(1000, 0, 400, 0), "the first sample only sets the baseline");
        CrossCheckResult r = sample(1600, 0, 1010, 0).orElseThrow();
        assertTrue(r.consistent(), r.detail());
        assertEquals(600, r.serverEvents());
        assertEquals(610, r.eventsRead());
    }

    @Test
    void eventsMissingFromTheLogAreReported() {
        sample(1000, 0, 400, 0);
        CrossCheckResult r = sample(5000, 0, 500, 0).orElseThrow();
        assertFalse(r.consistent());
        assertTrue(r.detail().contains("audited 4000 events but 100 lines reached the audit log"), r.detail());
    }

    @Test
    void writeErrorsAreReportedEvenWithABacklog() {
        sample(1000, 2, 400, 0);
        CrossCheckResult r = sample(1500, 9, 600, 123_456).orElseThrow();
        assertFalse(r.consistent());
        assertTrue(r.detail().contains("failed to write 7 audit events"), r.detail());
    }

    @Test
    void aBacklogOrARestartIsNotCompared() {
        sample(1000, 0, 400, 0);
        assertEquals(Optional.empty(), sample(5000, 0, 500, 4096), "reading lags: counts cannot match yet");
        assertEquals(Optional.empty(), sample(10, 0, 600, 0), "the server restarted: its counter started again");
        assertTrue(sample(70, 0, 660, 0).orElseThrow().consistent());
    }

    @Test
    void countersAreSummedOverLabelsFromRealMetricsText(@TempDir Path dir) throws Exception {
        try (FakeKubeApi api = new FakeKubeApi()) {
            api.metrics = """
                    # HELP apiserver_audit_event_total [ALPHA] Counter of audit events generated and sent to the audit backend.
                    # TYPE apiserver_audit_event_total counter
                    apiserver_audit_event_total 12345
                    # HELP apiserver_audit_error_total [ALPHA] Counter of audit events that failed to be audited properly. Plugin identifies the plugin affected by the error.
                    # TYPE apiserver_audit_error_total counter
                    apiserver_audit_error_total{plugin="log"} 3
                    apiserver_audit_error_total{plugin="webhook"} 4
                    apiserver_audit_requests_rejected_total 0
                    """;
            ApiServerAuditMetrics metrics = new ApiServerAuditMetrics(
                    new Kubectl("kubectl", api.kubeconfig(dir.resolve("kubeconfig")), List.of(), dir));
            assertEquals(new ApiServerAuditMetrics.Counters(12345, 7), metrics.read());

            api.metrics = "process_cpu_seconds_total 1\n";
            IOException e = assertThrows(IOException.class, metrics::read);
            assertTrue(e.getMessage().contains("no apiserver_audit_event_total"), e.getMessage());
        }
    }
}
