package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.cli.Main;
import io.kubeaudit.sim.SimulatedNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} against a simulated node's running kube-apiserver: auditing off, then after setup. */
class CheckOnSimulatedNodeIT {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Runs check with JSON output; returns its exit code and the status of each item. */
    private Map<String, String> check(int expectedExit) throws Exception {
        out.reset();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"check", "--root", root.toString(), "--output", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedExit, exit, out + "\n" + err);
        Map<String, String> statuses = new LinkedHashMap<>();
        for (JsonNode item : new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("details").get("items")) {
            statuses.put(item.get("id").asText(), item.get("status").asText());
        }
        return statuses;
    }

    @Test
    void auditingOffFailsThenSetupPassesOnTheRunningServer() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            Map<String, String> off = check(Main.FAILED);
            for (String id : new String[] {"1.2.16", "1.2.17", "1.2.18", "1.2.19", "3.2.1", "3.2.2"}) {
                assertEquals("FAIL", off.get(id), id + " in " + off);
            }
            assertInstanceOf(SetupOutcome.Applied.class, NodeSetup.forConfig(Sandbox.config(root, "cis", Duration.ofSeconds(60),
                    Sandbox.KUBECTL_GET_NODES, ""), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).setup(false));
            Map<String, String> on = check(Main.OK);
            on.forEach((id, status) -> assertEquals("PASS", status, id + " in " + out));
        }
    }
}
