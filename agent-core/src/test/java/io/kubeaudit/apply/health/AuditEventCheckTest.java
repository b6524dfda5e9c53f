package io.kubeaudit.apply.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditEventCheckTest {

    @TempDir
    Path dir;

    private static String event(String stamp) {
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"stage\":\"ResponseComplete\","
                + "\"requestReceivedTimestamp\":\"" + stamp + "\",\"stageTimestamp\":\"" + stamp + "\"}\n";
    }

    @Test
    void onlyAnEventStampedAfterTheChangeCounts() throws Exception {
        Path log = dir.resolve("audit.log");
        AuditEventCheck check = new AuditEventCheck(log, "/var/log/kubernetes/audit/audit.log", Instant.parse("2025-01-01T00:00:10.000000500Z"));
        HealthCheck.Result missing = check.check(Duration.ofSeconds(1));
        assertFalse(missing.ok());
        assertTrue(missing.detail().contains("no audit log at /var/log/kubernetes/audit/audit.log"), missing.detail());

        Files.writeString(log, event("2025-01-01T00:00:09.999999Z"));
        assertFalse(check.check(Duration.ofSeconds(1)).ok());

        // A line still being written at the end does not hide the whole event before it.
        Files.writeString(log, event("2025-01-01T00:00:10.000000Z") + "{\"kind\":\"Ev", java.nio.file.StandardOpenOption.APPEND);
        HealthCheck.Result fresh = check.check(Duration.ofSeconds(1));
        assertTrue(fresh.ok(), fresh.detail());
    }
}
