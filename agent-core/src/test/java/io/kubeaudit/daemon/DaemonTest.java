package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's main loop in-process with plain fakes for setup and shipping; events posted as the signal handlers would. */
class DaemonTest {

    /** Records what the daemon asked of shipping, in order. */
    static final class RecordingShipping implements ShippingPort {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean rejectNext;

        @Override
        public void start() {
            calls.add("start");
        }

        @Override
        public void reconfigure(AgentConfig config) throws InvalidInputException {
            if (rejectNext) {
                rejectNext = false;
                throw new InvalidInputException(new SourceLocation("config.yaml", 3, 5), "tokenFile /nope does not exist");
            }
            calls.add("reconfigure " + config.ship().destinations().size());
        }

        @Override
        public ShippingSnapshot snapshot() {
            return new ShippingSnapshot(10, 10, 2.5, 0, List.of());
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }

        @Override
        public StopReport stop(Duration deadline) {
            calls.add("stop");
            return new StopReport(10, 0, true);
        }
    }

    @TempDir
    Path root;
    Path configFile;
    final ReconcilerTest.FakeSetup setup = new ReconcilerTest.FakeSetup();
    final RecordingShipping shipping = new RecordingShipping();
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final ExecutorService runner = Executors.newSingleThreadExecutor();
    Daemon daemon;
    Future<Integer> exit;

    private static final String DESTINATION = "ship:\n  destinations: [{name: siem, type: webhook, url: \"http://127.0.0.1:9/x\"}]\n";

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(root.resolve("etc/kubernetes/manifests"));
        configFile = root.resolve("config.yaml");
        Files.writeString(configFile, "setup: {reconcileInterval: 1h}\n" + DESTINATION);
        ConfigSource source = new ConfigSource(configFile, true, Optional.of(root.toString()));
        Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), InstantSource.system(), true, false);
        daemon = new Daemon(source, source.load(), setup::run, c -> Optional.empty(), shipping, new DaemonCounters(), SystemdNotifier.fromEnvironment(Map.of(), 1, log), log, InstantSource.system());
        exit = runner.submit(daemon::run);
    }

    @AfterEach
    void stop() throws Exception {
        if (!exit.isDone()) {
            daemon.post(new DaemonEvent.StopRequested("test end"));
        }
        exit.get(30, TimeUnit.SECONDS);
        runner.shutdownNow();
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    /** Bounded wait for something the daemon does on its own threads. */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + "\nlog:\n" + log());
            }
            Thread.sleep(20);
        }
    }

    private DaemonStatus status() throws Exception {
        return new StatusFile(root.resolve("var/lib/kube-audit-agent")).read().orElseThrow();
    }

    @Test
    void appliesTheSetupBeforeShippingThenStopsInOrder() throws Exception {
        await("running", () -> {
            try {
                return "running".equals(status().state());
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(List.of("start"), shipping.calls);
        assertEquals(1, setup.applies, "the start applies the missing setup before shipping");
        assertEquals(ReconcileResult.Kind.APPLIED, status().lastReconcile().kind());
        daemon.post(new DaemonEvent.StopRequested("SIGTERM"));
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("start", "stop"), shipping.calls);
        assertEquals("stopped", status().state());
    }

    @Test
    void aManifestChangeIsNoticedAndReapplied() throws Exception {
        await("shipping started", () -> shipping.calls.contains("start"));
        setup.drifted = true;
        Files.writeString(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml"), "kubeadm upgrade rewrote me\n");
        await("drift re-applied", () -> setup.applies == 2);
        await("status shows it", () -> {
            try {
                return status().counters().driftsDetected() == 1 && status().lastReconcile().trigger() == ReconcileResult.Trigger.FILE_CHANGE;
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(log().contains("WARN [daemon/reconcile] audit setup drifted trigger=FILE_CHANGE"), log());
    }

    @Test
    void aGoodReloadSwitchesAndABadOneKeepsTheRunningConfig() throws Exception {
        await("shipping started", () -> shipping.calls.contains("start"));
        Files.writeString(configFile, "setup: {reconcileInterval: 1h}\nship:\n  destinations: [{name: a, type: webhook, url: \"http://127.0.0.1:9/a\"},"
                + " {name: b, type: webhook, url: \"http://127.0.0.1:9/b\"}]\n");
        daemon.post(new DaemonEvent.ReloadRequested());
        await("reconfigured", () -> shipping.calls.contains("reconfigure 2"));

        Files.writeString(configFile, "ship:\n  destinations: [{name: a, type: carrier-pigeon, url: x}]\n");
        daemon.post(new DaemonEvent.ReloadRequested());
        await("rejected", () -> log().contains("config rejected; the running config stays"));
        assertTrue(log().contains("is not one of"), log());

        Files.writeString(configFile, DESTINATION);
        shipping.rejectNext = true;
        daemon.post(new DaemonEvent.ReloadRequested());
        await("rejected by shipping", () -> log().contains("tokenFile /nope does not exist"));

        Files.writeString(configFile, DESTINATION.replace("ship:", "ship:\n  stateDir: /elsewhere"));
        daemon.post(new DaemonEvent.ReloadRequested());
        await("restart-only change refused", () -> log().contains("ship.stateDir cannot change while running"));

        assertEquals(List.of("start", "reconfigure 2"), shipping.calls);
        await("counted", () -> {
            try {
                return status().counters().reloads() == 1 && status().counters().reloadsRejected() == 3;
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(status().lastReload().startsWith("rejected"), status().lastReload());
    }
}
