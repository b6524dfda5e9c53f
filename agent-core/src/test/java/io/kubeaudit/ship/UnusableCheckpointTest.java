package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.ConfigLoader;
import io.kubeaudit.log.Log;
import io.kubeaudit.time.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 14: with ship.start: end, a corrupt checkpoint makes the shipper skip events; they are counted and logged. */
class UnusableCheckpointTest {

    @TempDir
    Path root;

    @Test
    void startingAtTheEndAfterACorruptCheckpointCountsTheSkippedBytesAsLost() throws Exception {
        Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
        AuditLines.append(log, AuditLines.events(0, 50));
        long skipped = Files.size(log);
        Path checkpoints = Files.createDirectories(root.resolve("var/lib/kube-audit-agent/checkpoints"));
        Files.writeString(checkpoints.resolve("siem.checkpoint"), "{\"version\":1,\"file\":{\"dev");
        AgentConfig config = ConfigLoader.parse("config.yaml", "metrics: {listen: \"\"}\n"
                + "ship: {start: end, shutdownTimeout: 1s, destinations: [{name: siem, type: webhook, url: \"http://127.0.0.1:9/audit\"}]}\n")
                .withRoot(root.toString());
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Shipper shipper = Shipper.open(config, new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), InstantSource.system(),
                false, false), Ticker.system());
        try (BackgroundShipper running = BackgroundShipper.run(shipper)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!logged.toString(StandardCharsets.UTF_8).contains("events lost") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        String text = logged.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("ERROR [ship/read] events lost file=" + log + " bytes=" + skipped + " reason=\"the checkpoint was unusable"
                + " (moved to " + checkpoints.resolve("siem.checkpoint.corrupt-1") + ") and ship.start is end"), text);
        String metrics = shipper.metrics().render();
        assertTrue(metrics.contains(Metrics.PREFIX + "bytes_lost_total " + skipped), metrics);
        assertTrue(metrics.contains(Metrics.PREFIX + "losses_total 1"), metrics);
        assertEquals(1, text.lines().filter(l -> l.contains("events lost")).count(), text);
    }
}
