package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.ConfigLoader;
import io.kubeaudit.log.Log;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import io.kubeaudit.time.Ticker;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real shipper behind the daemon's port: reloads before the start, rejected reloads. */
class ShipperPortTest {

    @TempDir
    Path root;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(logged, true, StandardCharsets.UTF_8);

    private AgentConfig config(String... urls) throws InvalidInputException {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < urls.length; i++) {
            d.append(i == 0 ? "" : ", ").append("{name: d").append(i).append(", type: webhook, url: \"").append(urls[i]).append("\"}");
        }
        return ConfigLoader.parse("config.yaml", "metrics: {listen: \"\"}\nship: {shutdownTimeout: 2s, destinations: [" + d + "]}\n")
                .withRoot(root.toString());
    }

    private ShipperPort port(AgentConfig c) {
        return new ShipperPort(c, Ticker.system(), new Log(out, InstantSource.system(), true, false), new DaemonCounters());
    }

    private static List<String> names(ShippingSnapshot s) {
        return s.destinations().stream().map(ShippingSnapshot.Destination::name).toList();
    }

    @Test
    void aReloadDuringTheFirstSetupDoesNotStartShippingEarly() throws Exception {
        ShipperPort port = port(config("http://127.0.0.1:9/a"));
        port.reconfigure(config("http://127.0.0.1:9/a", "http://127.0.0.1:9/b"));
        assertEquals(List.of(), names(port.snapshot()), "nothing ships before start()");
        port.start();
        assertEquals(List.of("d0", "d1"), names(port.snapshot()), "start() uses the config current then");
        assertTrue(port.stop(Duration.ofSeconds(2)).checkpointWritten());
    }

    @Test
    void destinationsThatCannotBeOpenedAreRejectedAndTheOldOnesKeepRunning() throws Exception {
        ShipperPort port = port(config("http://127.0.0.1:9/a"));
        port.start();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> port.reconfigure(config("ftp://127.0.0.1/a")));
        assertTrue(e.getMessage().contains("url must start with http:// or https://"), e.getMessage());
        assertEquals(List.of("d0"), names(port.snapshot()));
        assertEquals(java.util.Optional.empty(), port.failure());
        assertTrue(port.stop(Duration.ofSeconds(2)).checkpointWritten());
    }

    @Test
    void withoutDestinationsTheDaemonOnlyDoesTheSetup() throws Exception {
        ShipperPort port = port(config());
        port.start();
        assertEquals(ShippingSnapshot.idle(), port.snapshot());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("no destinations configured"), logged.toString(StandardCharsets.UTF_8));
        assertTrue(port.stop(Duration.ofSeconds(1)).checkpointWritten());
    }
}
