package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.cli.Main;
import io.kubeaudit.kube.FakeKubeApi;
import io.kubeaudit.kube.SetupLease;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.sim.KubeletSettings;
import io.kubeaudit.sim.SimulatedNode;
import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.CheckpointStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as a real process against a simulated control-plane node (kubelet emulator, a real
 * kube-apiserver stand-in writing real audit events) and real webhook receivers on 127.0.0.1.
 */
class DaemonProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    @TempDir
    Path work;
    /** The Lease API the daemon coordinates through (the simulated API server has none); its kubeconfig is a node file. */
    FakeKubeApi leases;

    @BeforeEach
    void leaseApi() throws IOException {
        leases = new FakeKubeApi();
        Files.createDirectories(root.resolve("etc/kubernetes"));
        leases.kubeconfig(root.resolve("etc/kubernetes/lease.conf"));
    }

    @AfterEach
    void closeLeaseApi() {
        leases.close();
    }

    private Path config(String setup, WebhookReceiver... receivers) throws IOException {
        StringBuilder destinations = new StringBuilder();
        for (int i = 0; i < receivers.length; i++) {
            destinations.append(i == 0 ? "" : ", ").append("{name: r").append(i).append(", type: webhook, url: \"").append(receivers[i].url()).append("\"}");
        }
        Path file = work.resolve("config.yaml");
        Files.writeString(file, "setup: " + setup.substring(0, setup.lastIndexOf('}')) + ", lease: {kubeconfig: /etc/kubernetes/lease.conf}}\n"
                + "apply: {healthTimeout: 60s}\n"
                + "ship:\n  batch: {maxWait: 200ms}\n  shutdownTimeout: 10s\n  destinations: [" + destinations + "]\n"
                + "metrics: {listen: \"\"}\n");
        return file;
    }

    private Optional<DaemonStatus> status() {
        try {
            return new StatusFile(root.resolve("var/lib/kube-audit-agent")).read();
        } catch (IOException e) {
            // Read while being replaced is impossible (atomic rename); an unreadable file means not yet written.
            return Optional.empty();
        }
    }

    /** Bounded wait on the daemon's published status; fails with the agent's log. */
    private DaemonStatus awaitStatus(AgentProcess agent, String what, Predicate<DaemonStatus> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<DaemonStatus> s = status();
            if (s.isPresent() && condition.test(s.get())) {
                return s.get();
            }
            if (!agent.isAlive()) {
                throw new AssertionError("the agent exited while waiting for: " + what + "\n" + agent.log());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for: " + what + "\nstatus: " + status() + "\nlog:\n" + agent.log());
    }

    private static void awaitCondition(String what, AgentProcess agent, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + "\nlog:\n" + agent.log());
            }
            Thread.sleep(200);
        }
    }

    /** Every (auditID, stage) in the node's audit log files. */
    private Set<String> loggedEvents() throws IOException {
        Set<String> keys = new HashSet<>();
        Path dir = root.resolve("var/log/kubernetes/audit");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        keys.add(WebhookReceiver.key(JSON.readTree(line)));
                    }
                }
            }
        }
        return keys;
    }

    private boolean manifestHasAuditFlags(SimulatedNode node) {
        try {
            return ApiServerManifest.parse("m", Files.readString(node.manifest())).flag("--audit-policy-file").isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void setsUpShipsReconcilesReloadsAndStopsWithoutLosingAnEvent() throws Exception {
        KubeletSettings busy = KubeletSettings.fast().withBackgroundEventsPerSecond(200);
        try (SimulatedNode node = SimulatedNode.create(root, busy).start();
             WebhookReceiver first = new WebhookReceiver(); WebhookReceiver second = new WebhookReceiver()) {
            byte[] pristine = Files.readAllBytes(node.manifest());
            Set<String> beforeSecondJoined = new HashSet<>();
            Path config = config("{reconcileInterval: 1h}", first);
            Path log = work.resolve("agent.log");
            try (AgentProcess agent = AgentProcess.run(root, config, log)) {
                // Start: the missing setup is applied through the transaction, then shipping starts.
                DaemonStatus running = awaitStatus(agent, "running", s -> "running".equals(s.state()));
                // The daemon's own swap is a file change too, so the last reconcile may already be a later IN_SYNC one.
                assertTrue(running.counters().applies() >= 1 && running.counters().applyFailures() == 0, agent.log());
                assertTrue(manifestHasAuditFlags(node));
                awaitCondition("events at the first receiver", agent, () -> first.received.size() > 50);

                // Drift: the manifest goes back to what kubeadm would write; the watcher sees it and the daemon re-applies.
                Files.write(node.manifest(), pristine);
                DaemonStatus reapplied = awaitStatus(agent, "drift re-applied", s -> s.counters().driftsDetected() >= 1
                        && s.counters().applies() > running.counters().applies());
                assertEquals(ReconcileResult.Trigger.FILE_CHANGE, reapplied.lastReconcile().trigger());
                assertTrue(manifestHasAuditFlags(node));
                assertTrue(agent.log().contains("audit setup drifted"), agent.log());

                // SIGHUP with a good config: a second destination starts receiving.
                config("{reconcileInterval: 1h}", first, second);
                agent.signal("HUP");
                awaitStatus(agent, "reload applied", s -> s.counters().reloads() == 1);
                // The second destination starts where reading resumed at the reload: no later than what is logged now.
                beforeSecondJoined.addAll(loggedEvents());
                awaitCondition("events at the second receiver", agent, () -> second.received.size() > 50);

                // status (a separate command) sees the running daemon, both destinations and the setup.
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertEquals(0, Main.run(new String[] {"status", "--root", root.toString(), "--config", config.toString(), "--output", "json"},
                        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
                JsonNode shown = JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("details");
                assertTrue(shown.get("daemon").get("running").asBoolean(), shown.toString());
                assertEquals(2, shown.get("daemon").get("last").get("shipping").get("destinations").size(), shown.toString());
                assertEquals("/etc/kubernetes/audit-policy.yaml", shown.get("setup").get("manifestAuditFlags").get("--audit-policy-file").asText());
                assertEquals(shown.get("setup").get("manifestAuditFlags"), shown.get("setup").get("runningApiServers").get(0).get("flags"),
                        "the running server carries the manifest's audit flags");

                // SIGHUP with a config that does not validate: rejected, the running one keeps shipping.
                Files.writeString(config, Files.readString(config) + "surprise: true\n");
                agent.signal("HUP");
                DaemonStatus rejected = awaitStatus(agent, "reload rejected", s -> s.counters().reloadsRejected() == 1);
                assertTrue(rejected.lastReload().contains("unknown field \"surprise\""), rejected.lastReload());
                int before = second.received.size();
                awaitCondition("still shipping after the rejected reload", agent, () -> second.received.size() > before + 50);

                // SIGTERM while the server keeps writing: exit 0 with the checkpoint written.
                agent.signal("TERM");
                assertEquals(0, agent.awaitExit(60), agent.log());
                assertEquals("stopped", status().orElseThrow().state());
            }
            // Both applies (start, drift) took the cluster-wide lease and gave it back.
            JsonNode lease = leases.object(FakeKubeApi.LEASES, SetupLease.NAME);
            assertEquals("", lease.get("spec").get("holderIdentity").asText(), lease.toString());
            assertTrue(lease.get("spec").get("leaseTransitions").asInt() >= 1, lease.toString());
            for (String destination : List.of("r0", "r1")) {
                Optional<Checkpoint> checkpoint = new CheckpointStore(
                        root.resolve("var/lib/kube-audit-agent/checkpoints/" + destination + ".checkpoint")).load();
                assertTrue(checkpoint.isPresent() && checkpoint.get().offset() > 0, "no checkpoint for " + destination + " after SIGTERM");
            }

            // Restart (a fixed config), let it catch up with everything the server wrote, stop the server, compare.
            config("{reconcileInterval: 1h}", first, second);
            try (AgentProcess again = AgentProcess.run(root, config, log)) {
                awaitStatus(again, "running again", s -> "running".equals(s.state()) && s.pid() == again.pid());
                node.close();
                Set<String> logged = loggedEvents();
                // The first destination was there from the start: it must hold every event the server ever wrote;
                // the second, every event written after it joined.
                Set<String> sinceSecondJoined = new HashSet<>(logged);
                sinceSecondJoined.removeAll(beforeSecondJoined);
                awaitCondition("every logged event at the receivers", again,
                        () -> first.received.containsAll(logged) && second.received.containsAll(sinceSecondJoined));
                assertTrue(sinceSecondJoined.size() > 50, "the server kept writing after the reload");
                again.signal("TERM");
                assertEquals(0, again.awaitExit(60), again.log());
            }
        }
    }

    @Test
    void aFailingApplyBacksOffInsteadOfLoopingHot() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start(); WebhookReceiver receiver = new WebhookReceiver()) {
            Path config = config("{reconcileInterval: 1s, backoff: {initial: 2s, max: 4s}}", receiver);
            // A health check that never passes: every apply restarts the server, fails and rolls back.
            Files.writeString(config, Files.readString(config).replace("apply: {healthTimeout: 60s}",
                    "apply: {healthTimeout: 2s, healthCommand: [\"false\"]}"));
            Path log = work.resolve("agent.log");
            // As systemd starts it: a notify socket and a watchdog (2s, so pings come every second).
            String socket = "@kube-audit-agent-test-" + UUID.randomUUID();
            List<String> notified = new CopyOnWriteArrayList<>();
            try (DatagramReceiver systemd = new DatagramReceiver(socket, Duration.ofMillis(500));
                 AgentProcess agent = AgentProcess.run(root, config, log, Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "2000000"))) {
                Thread listener = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        systemd.receive().ifPresent(notified::add);
                    }
                });
                listener.start();
                awaitStatus(agent, "two failed applies", s -> s.counters().applyFailures() >= 2);
                agent.signal("TERM");
                assertEquals(0, agent.awaitExit(120), agent.log());
                listener.interrupt();
                listener.join(5_000);
                // READY once shipping runs (after the first, failed, setup), watchdog pings, a STATUS line with rate and lag, STOPPING.
                assertTrue(notified.stream().anyMatch(m -> m.startsWith("READY=1\nSTATUS=shipping ")), notified.toString());
                assertTrue(notified.stream().filter("WATCHDOG=1"::equals).count() >= 2, notified.toString());
                assertTrue(notified.stream().anyMatch(m -> m.matches("(?s)STATUS=shipping [0-9.]+ events/s, lag \\S+, \\d+ acknowledged; setup: .*")),
                        notified.toString());
                assertTrue(notified.stream().anyMatch(m -> m.startsWith("STOPPING=1")), notified.toString());
                // Each new attempt starts no earlier than the nextAttempt the previous failure announced, while
                // reconcile ticks (every second) came in between: they waited instead of applying.
                List<String> lines = agent.log().lines().toList();
                Pattern failed = Pattern.compile("audit setup failed .* failures=(\\d+) nextAttempt=(\\S+)");
                Pattern applying = Pattern.compile("^(\\S+) INFO \\[daemon/reconcile\\] applying the audit setup");
                Instant announced = null;
                int attempts = 0;
                for (String line : lines) {
                    Matcher a = applying.matcher(line);
                    if (a.find()) {
                        attempts++;
                        if (announced != null) {
                            assertTrue(!Instant.parse(a.group(1)).isBefore(announced), "attempt before its backoff expired: " + line);
                        }
                    }
                    Matcher f = failed.matcher(line);
                    if (f.find()) {
                        assertEquals(attempts, Integer.parseInt(f.group(1)), line);
                        announced = Instant.parse(f.group(2));
                    }
                }
                assertTrue(attempts >= 2, agent.log());
                assertTrue(agent.log().contains("rolled back"), agent.log());
                assertTrue(!manifestHasAuditFlags(node), "every failed apply was rolled back");
            }
        }
    }
}
