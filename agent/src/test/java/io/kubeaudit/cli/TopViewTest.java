package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopViewTest {

    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private static String scrape(long shipped, long bytes, long read) {
        return """
                # TYPE kube_audit_agent_build_info gauge
                kube_audit_agent_build_info{version="1.2.3",revision="abc"} 1
                kube_audit_agent_events_read_total %d
                kube_audit_agent_unread_bytes 2097152
                kube_audit_agent_unread_files 1
                kube_audit_agent_queue_bytes 1048576
                kube_audit_agent_queue_budget_bytes 67108864
                kube_audit_agent_events_shipped_total{destination="siem"} %d
                kube_audit_agent_bytes_shipped_total{destination="siem"} %d
                kube_audit_agent_lag_bytes{destination="siem"} 62464
                kube_audit_agent_lag_seconds{destination="siem"} 0.4
                kube_audit_agent_in_flight_batches{destination="siem"} 2
                kube_audit_agent_in_flight_limit{destination="siem"} 4
                kube_audit_agent_auth_failing{destination="siem"} 0
                kube_audit_agent_events_dead_lettered_total{destination="siem",reason="rejected"} 2
                kube_audit_agent_events_dead_lettered_total{destination="siem",reason="unsendable"} 1
                kube_audit_agent_retries_total{destination="siem",cause="server_error"} 3
                kube_audit_agent_retries_total{destination="siem",cause="timeout"} 0
                kube_audit_agent_events_shipped_total{destination="odd \\"name\\""} 0
                kube_audit_agent_auth_failing{destination="odd \\"name\\""} 1
                """.formatted(read, shipped, bytes);
    }

    @Test
    void ratesComeFromTwoScrapesAndEverythingIsInUnitsPeopleRead() throws Exception {
        MetricsScrape before = MetricsScrape.parse(scrape(1000, 1_000_000, 1000), T0);
        MetricsScrape now = MetricsScrape.parse(scrape(3000, 3_500_000, 3500), T0.plusSeconds(2));
        String view = TopView.render("http://127.0.0.1:9880/metrics", before, now);
        assertTrue(view.startsWith("kube-audit-agent 1.2.3 at http://127.0.0.1:9880/metrics, 2026-12-07T12:00:02Z (every 2s)\n"), view);
        assertTrue(view.contains("read 1250.0 events/s; backlog on disk 2.0 MiB in 1 file; memory 1.0 MiB of 64.0 MiB"), view);
        String siem = view.lines().filter(l -> l.startsWith("siem ")).findFirst().orElseThrow();
        assertEquals(String.format("%-16s %10s %8.2f %11s %8s %9s %-10s %-30s", "siem", "1000.0", 1.25, "61.0 KiB", "0.4s", "2/4", "ok",
                "3 / 3 (server_error 3)"), siem);
        assertTrue(view.contains("odd \"name\""), "label values are unescaped:\n" + view);
        assertTrue(view.lines().anyMatch(l -> l.startsWith("odd \"name\"") && l.contains("REFUSED")), view);
    }

    @Test
    void aWildcardListenAddressIsAskedOnTheLoopback() {
        assertEquals("http://127.0.0.1:9880/metrics", TopCommand.endpoint("0.0.0.0:9880").toString());
        assertEquals("http://127.0.0.1:9999/metrics", TopCommand.endpoint("127.0.0.1:9999").toString());
    }
}
