package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(Main.USAGE, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command"));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(Main.USAGE, run("version", "--frob"));
    }

    @Test
    void helpWorksOnEveryCommand() {
        assertEquals(Main.OK, run("version", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--output"));
    }

    @Test
    void helpListsTheSettingsTheCommandReadsWithTheirDefaults() {
        assertEquals(Main.OK, run("ship", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("  ship.batch.maxWait (1s): a batch that is not full is sent this long after its first event"), help);
        assertTrue(help.contains("  audit.logPath (/var/log/kubernetes/audit/audit.log): "), help);
        assertFalse(help.contains("apply.manifest"), help);
    }

    @Test
    void jsonOutputIsOneDocument() throws Exception {
        assertEquals(Main.OK, run("version", "--output", "json"));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("version", json.get("command").asText());
        assertEquals(false, json.get("changed").asBoolean());
    }

    @Test
    void badConfigFailsWithFileAndLine(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "audit:\n  nope: 1\n");
        assertEquals(Main.FAILED, run("version", "--config", config.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(config + ":2:3: unknown field \"audit.nope\""), err.toString(StandardCharsets.UTF_8));
    }
}
