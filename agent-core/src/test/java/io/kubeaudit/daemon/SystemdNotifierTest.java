package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {

    private static final long PID = ProcessHandle.current().pid();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), InstantSource.system(), true, false);

    @Test
    void messagesReachAPathSocket(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        try (DatagramReceiver receiver = new DatagramReceiver(path, Duration.ofSeconds(5))) {
            SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), PID, log);
            notifier.ready("shipping: 0 events/s, lag 0 B");
            notifier.watchdog();
            notifier.status("line one\nline two");
            notifier.reloading("reloading config");
            notifier.stopping("flushing");
            assertEquals(Optional.of("READY=1\nSTATUS=shipping: 0 events/s, lag 0 B"), receiver.receive());
            assertEquals(Optional.of("WATCHDOG=1"), receiver.receive());
            assertEquals(Optional.of("STATUS=line one line two"), receiver.receive());
            String reloading = receiver.receive().orElseThrow();
            assertTrue(reloading.matches("RELOADING=1\nMONOTONIC_USEC=\\d+\nSTATUS=reloading config"), reloading);
            assertEquals(Optional.of("STOPPING=1\nSTATUS=flushing"), receiver.receive());
        }
        assertEquals("", logged.toString(StandardCharsets.UTF_8));
    }

    @Test
    void messagesReachAnAbstractSocket() {
        String name = "@kube-audit-agent-test-" + UUID.randomUUID();
        try (DatagramReceiver receiver = new DatagramReceiver(name, Duration.ofSeconds(5))) {
            SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", name), PID, log);
            assertTrue(notifier.send("READY=1"));
            assertEquals(Optional.of("READY=1"), receiver.receive());
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() {
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "30000000"), PID, log);
        assertFalse(notifier.isActive());
        assertFalse(notifier.send("READY=1"));
        assertEquals(Optional.empty(), notifier.watchdogPingInterval());
    }

    @Test
    void aVanishedSocketIsLoggedNotThrown(@TempDir Path dir) {
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", dir.resolve("gone").toString()), PID, log);
        assertFalse(notifier.send("WATCHDOG=1"));
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("cannot notify systemd"), logged.toString(StandardCharsets.UTF_8));
    }

    @Test
    void watchdogPingsAtHalfTheTimeoutAndOnlyForItsOwnPid() {
        Map<String, String> env = Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "60000000", "WATCHDOG_PID", Long.toString(PID));
        assertEquals(Optional.of(Duration.ofSeconds(30)), SystemdNotifier.fromEnvironment(env, PID, log).watchdogPingInterval());
        Map<String, String> other = Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "60000000", "WATCHDOG_PID", "1");
        assertEquals(Optional.empty(), SystemdNotifier.fromEnvironment(other, PID, log).watchdogPingInterval());
    }

    @Test
    void badAddressesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UnixSocketAddress("relative/path")).getMessage().contains("absolute path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new UnixSocketAddress("/" + "x".repeat(107))).getMessage().contains("longer"));
        assertEquals(2 + 108, new UnixSocketAddress("@" + "x".repeat(107)).toSockaddr().length);
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "vsock:2:1234"), PID, log);
        assertFalse(notifier.isActive());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("cannot use the notify socket"));
    }
}
