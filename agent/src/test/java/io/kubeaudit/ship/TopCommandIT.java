package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code top --once} and {@code status} against a running foreground {@code ship} (its real metrics endpoint), and ship's progress lines. */
class TopCommandIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void topShowsTheRunningShipperPerDestinationAndShipSaysWhatItDoes() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (Receiver receiver = Receiver.start()) {
            Path config = Files.writeString(dir.resolve("config.yaml"), """
                    audit: {logPath: /var/log/kubernetes/audit/audit.log}
                    ship:
                      stateDir: /var/lib/kube-audit-agent
                      batch: {maxEvents: 200, maxBytes: 1MiB, maxWait: 100ms}
                      destinations: [{name: siem, type: webhook, url: "%s"}]
                    metrics: {listen: "127.0.0.1:%d"}
                    """.formatted(receiver.url(), port));
            Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
            AuditLines.append(log, AuditLines.events(0, 1000));
            try (ShipProcess ship = ShipProcess.start(config, root, dir, 0)) {
                assertEquals(1000, receiver.awaitDistinct(1000, WAIT), ship::log);
                ship.awaitLog("[ship/progress] caught up with the audit log", WAIT);

                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int exit = Main.run(new String[] {"top", "--once", "--config", config.toString(), "--root", root.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
                String view = out.toString(StandardCharsets.UTF_8);
                assertEquals(0, exit, view + err);
                assertTrue(view.contains("http://127.0.0.1:" + port + "/metrics"), view);
                assertTrue(view.lines().anyMatch(l -> l.startsWith("siem ") && l.contains(" ok ") && l.contains("0 / 0")), view);

                // status works while a foreground ship runs: it asks the shipper.
                out.reset();
                err.reset();
                Main.run(new String[] {"status", "--config", config.toString(), "--root", root.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
                String status = out.toString(StandardCharsets.UTF_8);
                assertTrue(status.contains("shipping (a shipper answers at http://127.0.0.1:" + port + "/metrics, without the daemon): 1000 events read"), status);
                assertTrue(status.contains("  siem: 1000 acknowledged, lag 0 B, credentials ok"), status);
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("no daemon is running: a shipper answers"), err.toString(StandardCharsets.UTF_8));
                assertEquals(0, ship.terminate(Duration.ofSeconds(30)), ship::log);
            }
        }
    }

    @Test
    void topSaysWhenNoAgentAnswers() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("config.yaml"), "metrics: {listen: \"127.0.0.1:%d\"}\n".formatted(port));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"top", "--once", "--config", config.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.FAILED, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no agent answers at http://127.0.0.1:" + port + "/metrics"), err.toString());
    }
}
