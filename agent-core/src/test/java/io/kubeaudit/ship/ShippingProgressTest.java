package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShippingProgressTest {

    /** Time moves only when the test says so. */
    private static final class Clock implements InstantSource {
        private Instant now = Instant.parse("2026-12-07T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final Clock clock = new Clock();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ShippingProgress progress = new ShippingProgress(new Log(new PrintStream(printed, true, StandardCharsets.UTF_8), clock, false, false), clock);

    private static ShipperStatus status(long read, long unread, long acked, long lag, String problem) {
        return new ShipperStatus(read, unread, List.of(new ShipperStatus.Destination("siem", acked, null, lag, 0, problem, "")));
    }

    private String lines() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSteadyLineEveryIntervalWithRateLagAndBacklogInUnitsPeopleRead() {
        progress.observe(status(0, 0, 0, 0, ""));
        clock.advance(Duration.ofSeconds(10));
        assertTrue(lines().contains("caught up with the audit log eventsRead=0"), "the first look says where the reader stands: " + lines());
        printed.reset();
        progress.observe(status(500, 0, 400, 62_464, ""));
        assertEquals("", lines(), "nothing changed and the interval has not passed");
        clock.advance(ShippingProgress.INTERVAL.minusSeconds(10));
        progress.observe(status(3000, 0, 3000, 62_464, ""));
        assertTrue(lines().contains("INFO [ship/progress] reading eventsRead=3000 rate=100.0/s backlog=\"0 B\""), lines());
        assertTrue(lines().contains("INFO [ship/progress] shipping destination=siem acknowledged=3000 rate=100.0/s lag=\"61.0 KiB\" state=ok"), lines());
    }

    @Test
    void changesAreLoggedAtOnce() {
        progress.observe(status(0, 5L << 20, 0, 0, ""));
        assertTrue(lines().contains("reading behind the audit log backlog=\"5.0 MiB\""), lines());
        progress.observe(status(10, 0, 0, 100, "destination siem: credentials refused (401/403)"));
        assertTrue(lines().contains("caught up with the audit log eventsRead=10"), lines());
        assertTrue(lines().contains("WARN [ship/progress] destination unhealthy destination=siem problem=\"destination siem: credentials refused (401/403)\""), lines());
        progress.observe(status(10, 0, 10, 0, ""));
        assertTrue(lines().contains("INFO [ship/progress] destination recovered destination=siem"), lines());
    }
}
