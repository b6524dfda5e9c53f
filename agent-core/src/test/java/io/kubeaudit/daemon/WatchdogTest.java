package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog's decision on a fake monotonic clock; pings go to a real datagram socket. */
class WatchdogTest {

    private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), InstantSource.system(), true, false);
    private final AtomicLong now = new AtomicLong(1_000);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void pingsWhileTheLoopTurnsAndASetupIsWithinItsLimit(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        try (DatagramReceiver receiver = new DatagramReceiver(path, Duration.ofSeconds(5))) {
            Watchdog watchdog = new Watchdog(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), 1, log), log, now::get);
            watchdog.check(HEALTH_TIMEOUT);
            assertEquals(Optional.of("WATCHDOG=1"), receiver.receive());

            watchdog.reconcileStarted();
            advance(Duration.ofMinutes(7)); // two health waits and the margin: 3m + 3m + 2m
            watchdog.loopTurned();
            watchdog.check(HEALTH_TIMEOUT);
            assertEquals(Optional.of("WATCHDOG=1"), receiver.receive());
            assertEquals("", logged.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void withholdsThePingWhenTheLoopStallsOrASetupOverrunsItsLimit(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        try (DatagramReceiver receiver = new DatagramReceiver(path, Duration.ofMillis(300))) {
            Watchdog watchdog = new Watchdog(SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), 1, log), log, now::get);
            advance(Duration.ofSeconds(31));
            watchdog.check(HEALTH_TIMEOUT);
            assertEquals(Optional.empty(), receiver.receive());
            assertTrue(logged.toString(StandardCharsets.UTF_8).contains("mainLoopAlive=false setupWithinLimit=true"), logged.toString());

            watchdog.loopTurned();
            watchdog.reconcileStarted();
            advance(Duration.ofMinutes(8).plusSeconds(1));
            watchdog.loopTurned();
            watchdog.check(HEALTH_TIMEOUT);
            assertEquals(Optional.empty(), receiver.receive());
            assertTrue(logged.toString(StandardCharsets.UTF_8).contains("mainLoopAlive=true setupWithinLimit=false"), logged.toString());

            watchdog.reconcileEnded();
            watchdog.check(HEALTH_TIMEOUT);
            assertEquals(Optional.of("WATCHDOG=1"), receiver.receive());
        }
    }
}
