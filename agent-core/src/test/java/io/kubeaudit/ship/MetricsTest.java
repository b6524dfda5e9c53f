package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rendersThePrometheusTextFormat() {
        Metrics m = new Metrics();
        Metrics.Counter a = m.counter("events_total", "Events.", "destination", "a");
        m.counter("events_total", "Events.", "destination", "b\"q").add(2);
        m.gauge("queue_bytes", "Bytes.", () -> 1.5);
        Metrics.Histogram h = m.histogram("seconds", "Time.", new double[] {0.1, 1}, "destination", "a");
        a.inc();
        h.observe(0.05);
        h.observe(0.5);
        h.observe(7);
        assertEquals("""
                # HELP kube_audit_agent_events_total Events.
                # TYPE kube_audit_agent_events_total counter
                kube_audit_agent_events_total{destination="a"} 1
                kube_audit_agent_events_total{destination="b\\"q"} 2
                # HELP kube_audit_agent_queue_bytes Bytes.
                # TYPE kube_audit_agent_queue_bytes gauge
                kube_audit_agent_queue_bytes 1.5
                # HELP kube_audit_agent_seconds Time.
                # TYPE kube_audit_agent_seconds histogram
                kube_audit_agent_seconds_bucket{destination="a",le="0.1"} 1
                kube_audit_agent_seconds_bucket{destination="a",le="1"} 2
                kube_audit_agent_seconds_bucket{destination="a",le="+Inf"} 3
                kube_audit_agent_seconds_sum{destination="a"} 7.55
                kube_audit_agent_seconds_count{destination="a"} 3
                """, m.render());
        assertEquals(3, h.count());
    }

    @Test
    void aSeriesIsRegisteredOnce() {
        Metrics m = new Metrics();
        m.counter("x_total", "X.", "d", "a");
        assertThrows(IllegalArgumentException.class, () -> m.counter("x_total", "X.", "d", "a"));
        assertThrows(IllegalArgumentException.class, () -> m.gauge("x_total", "X.", () -> 1));
        assertTrue(m.render().contains("x_total{d=\"a\"} 0"));
    }
}
