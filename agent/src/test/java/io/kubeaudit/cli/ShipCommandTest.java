package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ship} says when it cannot start; the running command is tested as a child process (ShipProcessTest). */
class ShipCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void withoutDestinationsItRefusesToStart() throws Exception {
        assertEquals(1, ship("ship: {stateDir: /state}\n"));
        assertTrue(stderr().contains("ship.destinations is empty"), stderr());
        assertTrue(Files.notExists(dir.resolve("root/state")), "nothing written");
    }

    @Test
    void aDestinationTypeNotBuiltYetIsNamed() throws Exception {
        assertEquals(1, ship("ship:\n  destinations: [{name: es, type: opensearch, url: \"https://es:9200\"}]\n"));
        assertTrue(stderr().contains("destination es: type opensearch is not supported"), stderr());
    }

    @Test
    void aMissingCaFileIsNamed() throws Exception {
        assertEquals(1, ship("ship:\n  destinations: [{name: siem, type: webhook, url: \"https://siem:8443/audit\", caFile: /etc/ca.pem}]\n"));
        assertTrue(stderr().contains("destination siem: cannot read the certificate file " + dir.resolve("root/etc/ca.pem")), stderr());
    }

    @Test
    void tlsFilesWithAPlainHttpUrlAreAMistake() throws Exception {
        assertEquals(1, ship("ship:\n  destinations: [{name: siem, type: webhook, url: \"http://siem/audit\", caFile: /etc/ca.pem}]\n"));
        assertTrue(stderr().contains("use https://"), stderr());
    }

    private int ship(String config) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, config);
        Files.createDirectories(dir.resolve("root"));
        return Main.run(new String[] {"ship", "--config", file.toString(), "--root", dir.resolve("root").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
