package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ShipLogTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ShipLog log = new ShipLog(new PrintStream(out, true, StandardCharsets.UTF_8), now::get);

    @Test
    void oneLineOfKeyValuesPerEventWithQuotingWhereNeeded() {
        log.warn("retry", "destination", "siem", "reason", "HTTP 503 \"busy\"\nnow", "attempt", 3);
        assertEquals("time=2026-11-26T12:00:00Z level=WARN event=retry destination=siem reason=\"HTTP 503 \\\"busy\\\"\\nnow\" attempt=3\n", text());
    }

    @Test
    void repeatsWithinTheWindowAreCountedAndReportedOnTheNextLine() {
        for (int i = 0; i < 5; i++) {
            log.warnLimited("retry", "siem", "attempt", i);
        }
        log.warnLimited("retry", "other", "attempt", 0);
        now.set(now.get().plus(ShipLog.REPEAT_WINDOW));
        log.warnLimited("retry", "siem", "attempt", 5);
        String[] lines = text().split("\n");
        assertEquals(3, lines.length, text());
        assertEquals("time=2026-11-26T12:00:10Z level=WARN event=retry attempt=5 repeatsSuppressed=4", lines[2]);
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
