package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP to a foreground {@code ship}: a reload that drains first, also in a process started with SIGHUP ignored. */
class ShipSignalsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Path config(Path root, String url, String nodeName) throws IOException {
        Files.createDirectories(root);
        return Files.writeString(dir.resolve("config.yaml"), """
                audit: {logPath: /var/log/kubernetes/audit/audit.log}
                ship:
                  stateDir: /var/lib/kube-audit-agent
                  nodeName: %s
                  batch: {maxEvents: 200, maxBytes: 1MiB, maxWait: 100ms}
                  retry: {initialBackoff: 50ms, maxBackoff: 1s}
                  shutdownTimeout: 3s
                  destinations: [{name: siem, type: webhook, url: "%s"}]
                metrics: {listen: ""}
                """.formatted(nodeName, url));
    }

    @Test
    void sighupReloadsTheConfigAfterDrainingEvenWhenStartedWithSighupIgnored() throws Exception {
        Path root = dir.resolve("root");
        try (Receiver receiver = Receiver.start()) {
            Path config = config(root, receiver.url(), "before");
            Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
            AuditLines.append(log, AuditLines.events(0, 500));
            try (ShipProcess ship = ShipProcess.startWithHangupIgnored(config, root, dir, 0)) {
                ship.awaitLog("SIGHUP was ignored when the agent started", WAIT);
                assertEquals(500, receiver.awaitDistinct(500, WAIT), ship::log);

                // A config that does not load is refused and shipping goes on.
                Files.writeString(config, "ship: {nope: 1}\n");
                ship.hangup();
                ship.awaitLog("config reload rejected", WAIT);

                config(root, receiver.url(), "after");
                ship.hangup();
                ship.awaitLog("config reloaded; shipping resumes from the checkpoints", WAIT);
                AuditLines.append(log, AuditLines.events(500, 500));
                assertEquals(1000, receiver.awaitDistinct(1000, WAIT), ship::log);
                assertEquals("after", receiver.event(AuditLines.id(900)).get("annotations").get("kube-audit-agent/node").asText(),
                        "events after the reload carry the new config's node name");
                assertTrue(ship.isAlive(), ship::log);
                assertEquals(0, ship.terminate(Duration.ofSeconds(30)), ship::log);
            }
            assertEquals(1000, receiver.total(), "the reload drained and resumed from the checkpoint: nothing sent twice");
        }
    }
}
