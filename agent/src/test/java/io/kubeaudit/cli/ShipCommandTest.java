package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /**
     * {@code ship} (and so {@code run}, which opens the same shipper) and {@code run --validate} refuse the same
     * destination mistakes with the same message, before anything is written.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a type not built yet  | {name: es, type: loki, url: "https://loki:3100"}                                   | ship.destinations[0].type "loki" is not built into this version of the agent yet
            credentials in the url| {name: siem, type: webhook, url: "https://u:secret@siem/audit"}                   | url holds credentials
            certFile without key  | {name: siem, type: webhook, url: "https://siem/audit", certFile: /etc/c.pem}     | certFile and keyFile go together
            a missing tokenFile   | {name: siem, type: webhook, url: "https://siem/audit", tokenFile: /etc/token}    | destination siem: cannot read the token file
            a missing caFile      | {name: siem, type: webhook, url: "https://siem:8443/audit", caFile: /etc/ca.pem} | destination siem: cannot read the certificate file
            TLS files with http   | {name: siem, type: webhook, url: "http://siem/audit", caFile: /etc/ca.pem}       | use https://
            a header with a break | {name: siem, type: webhook, url: "https://siem/audit", headers: {X-Api-Key: "k3y\\n"}} | header X-Api-Key: its value holds a line break
            """)
    void shipAndRunValidateRefuseTheSameMistakeAlike(String what, String destination, String message) throws Exception {
        String config = "ship:\n  destinations: [" + destination + "]\n";
        assertEquals(1, ship(config), stderr());
        String shipSaid = stderr();
        err.reset();
        assertEquals(1, command(config, "run", "--validate"), stderr());
        String validateSaid = stderr();
        for (String said : List.of(shipSaid, validateSaid)) {
            assertTrue(said.contains(message), what + ": " + said);
            assertFalse(said.contains("secret") || said.contains("k3y"), "no secret echoed: " + said);
        }
        assertTrue(Files.notExists(dir.resolve("root/var")), "nothing written");
    }

    @Test
    void aValidConfigIsValid() throws Exception {
        assertEquals(0, command("ship:\n  destinations: [{name: siem, type: webhook, url: \"https://siem/audit\"}]\n", "run", "--validate"),
                stderr());
    }

    private int ship(String config) throws Exception {
        return command(config, "ship");
    }

    private int command(String config, String... command) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, config);
        Files.createDirectories(dir.resolve("root"));
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of("--config", file.toString(), "--root", dir.resolve("root").toString()));
        return Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
