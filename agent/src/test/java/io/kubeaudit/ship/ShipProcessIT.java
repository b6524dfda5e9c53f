package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.CheckpointStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ship} command as a separate JVM on a sandbox root, killed with SIGKILL at random points
 * while the log grows and rotates, or stopped with SIGTERM: the receiver's count of distinct auditIDs
 * proves nothing acknowledged was lost, and the checkpoint files are always whole.
 */
class ShipProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int MAX_EVENTS = 200;
    private static final int MAX_IN_FLIGHT = 4;

    @TempDir
    Path dir;

    @Test
    void killNineAtRandomPointsUnderLoadLosesNoAcknowledgedEventAndLeavesWholeCheckpoints() throws Exception {
        int total = 30_000;
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path root = dir.resolve("root");
        try (Receiver receiver = Receiver.start()) {
            receiver.keepEvents = false;
            Path config = config(root, receiver.url());
            Path logDir = Files.createDirectories(root.resolve("var/log/kubernetes/audit"));
            Thread writer = new Thread(() -> writeWithRotation(logDir, total, 2 << 20, 5000), "audit-writer");
            writer.start();
            int kills = 6;
            for (int run = 0; run < kills; run++) {
                try (ShipProcess ship = ShipProcess.start(config, root, dir, run)) {
                    // Kill at a random point after the pipeline is up (JVM start time varies a lot on a busy machine).
                    ship.awaitLog("[ship] pipeline started", WAIT);
                    Thread.sleep(100 + random.nextInt(1500));
                    ship.kill();
                }
                System.out.printf("kill %d: %d distinct, %d received; checkpoint %s%n", run, receiver.distinct(), receiver.total(),
                        Files.exists(root.resolve("var/lib/kube-audit-agent/checkpoints/siem.checkpoint"))
                                ? Files.readString(root.resolve("var/lib/kube-audit-agent/checkpoints/siem.checkpoint")) : "none");
                if (System.getenv("SHIP_TEST_KEEP") != null) {
                    System.out.println(Files.readString(dir.resolve("ship-" + run + ".err")));
                }
                assertCheckpointIsWhole(root.resolve("var/lib/kube-audit-agent/checkpoints/siem.checkpoint"), "after kill " + run + " (seed " + seed + ")");
            }
            writer.join(WAIT.toMillis());
            try (ShipProcess ship = ShipProcess.start(config, root, dir, kills)) {
                ship.awaitLog("[ship] pipeline started", WAIT);
                int arrived = receiver.awaitDistinct(total, WAIT);
                assertEquals(total, arrived, () -> "seed " + seed + ": missing " + receiver.missing(0, total).size()
                        + " e.g. " + receiver.missing(0, total).stream().limit(10).toList());
                assertEquals(0, ship.terminate(Duration.ofSeconds(30)), ship::log);
            }
            int duplicates = receiver.total() - total;
            System.out.printf("seed %d: %d events, %d duplicates after %d kills%n", seed, total, duplicates, kills);
            // Resent after a kill: what was past the saved checkpoint, at most 2 * maxInFlight - 1 batches
            // (running, or acknowledged since the last checkpoint write; see InFlightLimiter).
            int bound = kills * (2 * MAX_IN_FLIGHT - 1) * MAX_EVENTS;
            assertTrue(duplicates <= bound, "seed " + seed + ": " + duplicates + " duplicates, more than the batches in flight at each kill ("
                    + bound + ")");
        }
    }

    @Test
    void sigtermDrainsWritesTheCheckpointAndExitsZero() throws Exception {
        Path root = dir.resolve("root");
        try (Receiver receiver = Receiver.start()) {
            Path config = config(root, receiver.url());
            Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
            AuditLines.append(log, AuditLines.events(0, 2000));
            try (ShipProcess ship = ShipProcess.start(config, root, dir, 0)) {
                assertEquals(2000, receiver.awaitDistinct(2000, WAIT), ship::log);
                assertEquals(0, ship.terminate(Duration.ofSeconds(30)), ship::log);
                assertTrue(ship.log().contains("[ship] pipeline stopped drained=true"), ship::log);
            }
            Checkpoint c = new CheckpointStore(root.resolve("var/lib/kube-audit-agent/checkpoints/siem.checkpoint")).load().orElseThrow();
            assertEquals(Files.size(log), c.offset());
            assertEquals(2000, receiver.total());
        }
    }

    @Test
    void aRestartWhileTheDestinationIsDownDeliversEverythingOnceItIsBack() throws Exception {
        Path root = dir.resolve("root");
        int port = ShipPipelineIT.freePort();
        Path config = config(root, "http://127.0.0.1:" + port + "/audit");
        Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
        AuditLines.append(log, AuditLines.events(0, 1000));
        try (ShipProcess ship = ShipProcess.start(config, root, dir, 0)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!ship.log().contains("[ship/send] send failed; retrying") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, ship.terminate(Duration.ofSeconds(30)), "exits within the shutdown timeout although nothing was delivered");
            assertTrue(ship.log().contains("[ship] shutdown deadline reached"), ship::log);
        }
        assertTrue(Files.notExists(root.resolve("var/lib/kube-audit-agent/checkpoints/siem.checkpoint")), "nothing was acknowledged");
        AuditLines.append(log, AuditLines.events(1000, 500));
        try (Receiver receiver = Receiver.startOn(port); ShipProcess ship = ShipProcess.start(config, root, dir, 1)) {
            assertEquals(1500, receiver.awaitDistinct(1500, WAIT), ship::log);
            assertEquals(0, ship.terminate(Duration.ofSeconds(30)), ship::log);
        }
    }

    /** Issue 14 item 12: with the metrics endpoint on another port or off, a second shipper still cannot start. */
    @Test
    void aSecondShipperOnTheSameStateDirectoryExitsNamingTheFirst() throws Exception {
        Path root = dir.resolve("root");
        try (Receiver receiver = Receiver.start()) {
            Path config = config(root, receiver.url());
            Path noMetrics = Files.writeString(dir.resolve("no-metrics.yaml"),
                    Files.readString(config).replace("metrics: {listen: \"127.0.0.1:0\"}", "metrics: {listen: \"\"}"));
            Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
            AuditLines.append(log, AuditLines.events(0, 500));
            try (ShipProcess first = ShipProcess.start(config, root, dir, 0)) {
                first.awaitLog("[ship] pipeline started", WAIT);
                for (Path second : List.of(config, noMetrics)) {
                    try (ShipProcess again = ShipProcess.start(second, root, dir, 1)) {
                        assertEquals(1, again.awaitExit(WAIT), again::log);
                        assertTrue(again.log().contains("another kube-audit-agent is shipping from the state directory "
                                + root.resolve("var/lib/kube-audit-agent") + " (held by pid " + first.pid() + " since "), again.log());
                    }
                }
                assertEquals(500, receiver.awaitDistinct(500, WAIT), first::log);
                assertEquals(0, first.terminate(Duration.ofSeconds(30)), first::log);
            }
            assertEquals(500, receiver.total(), "every event once: the refused shippers sent nothing");
        }
    }

    private Path config(Path root, String url) throws IOException {
        Files.createDirectories(root);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                audit: {logPath: /var/log/kubernetes/audit/audit.log}
                ship:
                  stateDir: /var/lib/kube-audit-agent
                  memoryBudget: 8MiB
                  nodeName: cp-test
                  batch: {maxEvents: %d, maxBytes: 1MiB, maxWait: 100ms, maxInFlight: %d}
                  retry: {initialBackoff: 50ms, maxBackoff: 1s}
                  shutdownTimeout: 3s
                  destinations: [{name: siem, type: webhook, url: "%s"}]
                metrics: {listen: "127.0.0.1:0"}
                """.formatted(MAX_EVENTS, MAX_IN_FLIGHT, url));
        return config;
    }

    /** The checkpoint is the old one or the new one, never empty or torn; no write left it corrupt. */
    private static void assertCheckpointIsWhole(Path file, String when) throws IOException {
        if (Files.exists(file)) {
            assertTrue(Files.size(file) > 0, "empty checkpoint " + when);
            Optional<Checkpoint> c = new CheckpointStore(file, message -> {
                throw new AssertionError(when + ": " + message);
            }).load();
            assertTrue(c.isPresent(), "unreadable checkpoint " + when);
        }
        if (!Files.isDirectory(file.getParent())) {
            return;
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            List<Path> corrupt = files.filter(p -> p.getFileName().toString().contains(".corrupt-")).toList();
            assertEquals(List.of(), corrupt, when);
        }
    }

    /**
     * Appends numbered events at about {@code perSecond}, rotating like the API server's logger:
     * rename to {@code audit-<UTC time>.log}, then a new {@code audit.log}. Backups are kept.
     */
    private static void writeWithRotation(Path logDir, int total, long maxSize, int perSecond) {
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);
        Instant nextStamp = Instant.parse("2026-01-01T00:00:00Z");
        Path log = logDir.resolve("audit.log");
        try {
            FileChannel out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            long size = out.size();
            int chunk = Math.max(1, perSecond / 20);
            for (int n = 0; n < total; n += chunk) {
                StringBuilder text = new StringBuilder();
                for (int i = n; i < Math.min(total, n + chunk); i++) {
                    text.append(new String(AuditLines.event(i), java.nio.charset.StandardCharsets.UTF_8)).append('\n');
                }
                byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (size > 0 && size + bytes.length > maxSize) {
                    out.close();
                    Files.move(log, logDir.resolve("audit-" + stamp.format(nextStamp) + ".log"));
                    nextStamp = nextStamp.plusSeconds(1);
                    out = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    size = 0;
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    size += out.write(buffer);
                }
                Thread.sleep(50);
            }
            out.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
