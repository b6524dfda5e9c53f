package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.build.BuildInfo;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void countsKeptElsewhereAreTypedCounterAndSummariesHaveCountAndSum() {
        Metrics m = new Metrics();
        m.counter("reloads_total", "Reloads applied.", () -> 3);
        m.standardNames().summary("jvm_gc_collection_seconds", "GCs.", () -> 2, () -> 0.25, "gc", "Copy");
        assertEquals("""
                # HELP kube_audit_agent_reloads_total Reloads applied.
                # TYPE kube_audit_agent_reloads_total counter
                kube_audit_agent_reloads_total 3
                # HELP jvm_gc_collection_seconds GCs.
                # TYPE jvm_gc_collection_seconds summary
                jvm_gc_collection_seconds_count{gc="Copy"} 2
                jvm_gc_collection_seconds_sum{gc="Copy"} 0.25
                """, m.render());
    }

    /** What a real shipper exposes: typed as the name says, every series explained, the build and the runtime described. */
    @Test
    void theAgentsSeriesFollowThePrometheusConventions() {
        Metrics m = new Metrics();
        BuildInfo build = new BuildInfo("1.2.3", "0123456789abcdef0123456789abcdef01234567", "2026-12-07T17:00:04Z", false);
        RuntimeMetrics.register(m, build);
        String text = m.render();
        assertTrue(text.contains("kube_audit_agent_build_info{version=\"1.2.3\",revision=\"0123456789abcdef0123456789abcdef01234567\"} 1"), text);
        for (String standard : List.of("process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
                "process_start_time_seconds", "jvm_memory_used_bytes{area=\"heap\"}", "jvm_gc_collection_seconds_count{", "jvm_threads_current")) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(standard)), standard + " in\n" + text);
        }
        assertTrue(RuntimeMetrics.procStatusBytes("VmRSS:") > 1_000_000, "a JVM has more than a megabyte resident");
        assertConventions(text);
    }

    /** Every family has a HELP text; a name ending in _total is a counter and every counter's name ends in _total. */
    static void assertConventions(String exposition) {
        Matcher type = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(exposition);
        int families = 0;
        while (type.find()) {
            families++;
            String name = type.group(1);
            assertEquals(name.endsWith("_total"), type.group(2).equals("counter"), name + " is typed " + type.group(2));
            assertTrue(Pattern.compile("(?m)^# HELP " + Pattern.quote(name) + " \\S.{10,}$").matcher(exposition).find(), "HELP of " + name);
        }
        assertTrue(families > 0, exposition);
    }
}
