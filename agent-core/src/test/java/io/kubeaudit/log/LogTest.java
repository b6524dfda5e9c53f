package io.kubeaudit.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Instant now = Instant.parse("2026-11-26T10:00:00Z");
    private final InstantSource clock = () -> now;

    private Log log(boolean journald) {
        return new Log(new PrintStream(bytes, true, StandardCharsets.UTF_8), clock, journald, false);
    }

    private List<String> lines() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @Test
    void oneLineWithLevelPhaseAndFields() {
        log(false).warn("ship/send", "batch rejected", "destination", "siem", "status", 400, "reason", "HTTP 400 \"bad\"\nsecond line");
        assertEquals(List.of("2026-11-26T10:00:00Z WARN [ship/send] batch rejected destination=siem status=400 reason=\"HTTP 400 \\\"bad\\\"\\nsecond line\""), lines());
    }

    @Test
    void underJournaldTheSyslogPriorityLeadsAndNoTimestamp() {
        Log log = log(true);
        log.error("apply/health", "server did not come back", "after", Duration.ofSeconds(180));
        log.info("daemon", "ready");
        assertEquals(List.of("<3>ERROR [apply/health] server did not come back after=180s", "<6>INFO [daemon] ready"), lines());
    }

    @Test
    void secretFieldsAreMaskedWhole() {
        log(true).info("ship/config", "destination loaded", "token", "abc.def", "Authorization", "Bearer xyz", "tokenFile", "/etc/tok");
        String line = lines().get(0);
        assertFalse(line.contains("abc.def") || line.contains("xyz"), line);
        assertTrue(line.contains("token=<redacted>") && line.contains("Authorization=<redacted>"), line);
        assertTrue(line.contains("tokenFile=/etc/tok"), "a path to a secret is not a secret: " + line);
    }

    @Test
    void secretsInsideTextAreMasked() {
        String[] leaks = {
            "request failed: Authorization: Bearer eyJhbGciOi.payload.sig",
            "POST https://admin:hunter2@collector:8443/audit refused",
            "body {\"password\": \"hunter2\", \"user\": \"x\"}",
            "url https://c/in?token=s3cr3t&x=1",
            "header Authorization=Basic dXNlcjpodW50ZXIy",
        };
        Log log = log(true);
        for (String leak : leaks) {
            log.warn("ship/send", "failed", "error", new IOException(leak));
        }
        for (String line : lines()) {
            for (String secret : List.of("eyJhbGciOi", "hunter2", "s3cr3t", "dXNlcjpodW50ZXIy")) {
                assertFalse(line.contains(secret), line);
            }
            assertTrue(line.contains(Redactor.MASK), line);
        }
        assertTrue(lines().get(1).contains("https://admin:<redacted>@collector:8443/audit"), lines().get(1));
    }

    @Test
    void repeatsAreSuppressedAndCountedOnTheNextWindow() {
        Log log = log(true);
        for (int i = 0; i < 12; i++) {
            log.warn("ship/retry", "destination unreachable", "attempt", i);
        }
        log.warn("ship/retry", "other message");
        assertEquals(Log.BURST + 1, lines().size());
        now = now.plus(Log.WINDOW);
        log.warn("ship/retry", "destination unreachable", "attempt", 12);
        String last = lines().get(lines().size() - 1);
        assertTrue(last.endsWith("attempt=12 suppressed=" + (12 - Log.BURST)), last);
    }

    @Test
    void aRetryLoopPrintsOneLinePerKeyAndWindowAndCountsTheRest() {
        Log log = log(true);
        for (int i = 0; i < 5; i++) {
            log.warnLimited("ship/send", "send failed; retrying", "siem", "destination", "siem", "attempt", i);
        }
        log.warnLimited("ship/send", "send failed; retrying", "archive", "destination", "archive", "attempt", 0);
        log.warn("ship/send", "send failed; retrying", "destination", "siem");
        assertEquals(List.of("<4>WARN [ship/send] send failed; retrying destination=siem attempt=0",
                "<4>WARN [ship/send] send failed; retrying destination=archive attempt=0",
                "<4>WARN [ship/send] send failed; retrying destination=siem"), lines(), "one line per key; an unlimited line is counted apart");
        now = now.plus(Log.REPEAT_WINDOW).minusMillis(1);
        log.warnLimited("ship/send", "send failed; retrying", "siem", "destination", "siem", "attempt", 5);
        assertEquals(3, lines().size(), "still within the window");
        now = now.plusMillis(1);
        log.warnLimited("ship/send", "send failed; retrying", "siem", "destination", "siem", "attempt", 6);
        log.errorLimited("ship/send", "send failed; retrying", "siem", "destination", "siem");
        assertEquals(List.of("<4>WARN [ship/send] send failed; retrying destination=siem attempt=6 suppressed=5",
                "<3>ERROR [ship/send] send failed; retrying destination=siem"), lines().subList(3, 5));
    }

    @Test
    void fieldsMustPair() {
        assertThrows(IllegalArgumentException.class, () -> log(true).info("x", "y", "lonely"));
    }

    @Test
    void quotingKeepsPlainTokensBare() {
        assertEquals("abc-1.2/x", Log.quote("abc-1.2/x"));
        assertEquals("\"\"", Log.quote(""));
        assertEquals("\"a=b\"", Log.quote("a=b"));
        assertEquals("\"say \\\"hi\\\"\"", Log.quote("say \"hi\""));
    }

    @Test
    void progressLinesBecomeEventsWithTheirPhase() {
        PrintStream progress = LogLineStream.to(log(true), "apply");
        progress.println("[setup/health] waiting up to 180s for the restarted API server");
        progress.print("no prefix here, password=hunter2");
        progress.println();
        progress.println("[odd prefix]");
        assertEquals(List.of("<6>INFO [setup/health] waiting up to 180s for the restarted API server",
                "<6>INFO [apply] no prefix here, password=<redacted>",
                "<6>INFO [apply] [odd prefix]"), lines());
    }
}
