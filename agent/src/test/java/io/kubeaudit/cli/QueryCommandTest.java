package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kube-audit-agent query} through Main, on a sandbox node holding the real v1.20.2 lab log and its backups. */
class QueryCommandTest {

    @TempDir
    Path root;

    private Path lab;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void nodeWithTheLabLog() throws Exception {
        lab = Path.of(getClass().getResource("/corpus/auditlogs/real-kube-apiserver-v1.20.2-lab").toURI());
        Path logDir = Files.createDirectories(root.resolve("var/log/kubernetes/audit"));
        try (Stream<Path> files = Files.list(lab)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("audit")).toList()) {
                Files.copy(p, logDir.resolve(p.getFileName()));
            }
        }
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** All events of the lab log as jq would see them: backups oldest first, then the live log. */
    private List<String> labLines() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(lab)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("audit")).sorted().toList()) {
                try (InputStream raw = Files.newInputStream(p); InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                    all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return List.of(all.toString().split("\n"));
    }

    @Test
    void theReadmeExampleOnTheConfiguredLog() throws Exception {
        int code = run("query", "--root", root.toString(), "--verb", "delete", "--resource", "deployments", "--name", "web",
                "--from", "2026-11-26T12:00:00Z", "-o", "ndjson");
        assertEquals(0, code, stderr());
        List<String> expected = labLines().stream().filter(l -> l.contains("\"verb\":\"delete\"") && l.contains("\"resource\":\"deployments\"")
                && l.contains("\"name\":\"web\"")).toList();
        assertEquals(28, expected.size());
        assertEquals(String.join("\n", expected) + "\n", stdout());
        assertEquals("", stderr(), "ndjson: nothing but the events");

        assertEquals(0, run("query", "--root", root.toString(), "--verb", "delete", "--resource", "deployments", "--name", "web"));
        String[] table = stdout().split("\n");
        assertEquals(29, table.length);
        assertTrue(table[0].startsWith("TIME  ") && table[0].contains("NAMESPACE/NAME"), table[0]);
        assertTrue(table[2].contains("kubernetes-admin as system:serviceaccount:shop:") && table[2].contains(" 403 "), table[2]);
        assertTrue(stderr().startsWith("28 events matched; 5 files, 4.2 MB read, 28 lines parsed"), stderr());
    }

    @Test
    void jsonIsOneArrayOfTheEventsAndCountsAreJsonToo() throws Exception {
        assertEquals(0, run("query", "--root", root.toString(), "--status", "4xx", "--output", "json"));
        JsonNode array = new ObjectMapper().readTree(stdout());
        assertEquals(195, array.size());
        assertEquals(4, array.get(0).get("responseStatus").get("code").asInt() / 100);

        assertEquals(0, run("query", "--root", root.toString(), "--count-by", "code", "-o", "json"));
        JsonNode counts = new ObjectMapper().readTree(stdout());
        assertEquals("-", counts.get(0).get("code").asText(), "RequestReceived: the most frequent, without a code");
        assertEquals("200", counts.get(1).get("code").asText());
        long total = 0;
        for (JsonNode c : counts) {
            total += c.get("count").asLong();
        }
        assertEquals(labLines().size(), total);
    }

    @Test
    void linesThatAreNotEventsAreNamedAndTheQueryGoesOn() throws Exception {
        Path mixed = Path.of(getClass().getResource("/corpus/auditlogs/elastic-integrations-test-audit-mixed-native-gke-aks-lines.log").toURI());
        assertEquals(1, run("query", mixed.toString(), "-o", "ndjson"));
        assertEquals(3, stdout().split("\n").length);
        assertTrue(stderr().contains("error: " + mixed + ":4: not an audit event: a JSON object without auditID"), stderr());
        assertTrue(stderr().contains("error: 2 lines or files could not be read as audit events (listed above); the rest was searched"),
                stderr());
    }

    @Test
    void deadLettersOfTheStateDirectory() throws Exception {
        Path dead = Files.createDirectories(root.resolve("var/lib/kube-audit-agent/dead-letter"));
        String event = labLines().get(1).replace("\\", "\\\\").replace("\"", "\\\"");
        Files.writeString(dead.resolve("siem.ndjson"), "{\"time\":\"2026-11-26T13:00:00Z\",\"destination\":\"siem\",\"reason\":\"HTTP 400\","
                + "\"file\":\"/var/log/kubernetes/audit/audit.log\",\"offset\":0,\"endOffset\":10,\"line\":\"" + event + "\"}\n");
        assertEquals(0, run("query", "--root", root.toString(), "--dead-letter", "--explain"), stderr());
        assertTrue(stdout().contains("dead-letter file " + dead.resolve("siem.ndjson") + " line 1 (destination siem refused it at"
                + " 2026-11-26T13:00:00Z: HTTP 400; from /var/log/kubernetes/audit/audit.log offset 0)"), stdout());
        Path empty = Files.createTempDirectory(root, "state");
        assertEquals(2, run("query", "--root", empty.toString(), "--dead-letter"));
        assertTrue(stderr().contains("no dead letters:"), stderr());
    }

    @Test
    void usageErrorsSayWhatIsAccepted() {
        assertEquals(2, run("query", "--status", "forbidden"));
        assertTrue(stderr().contains("status \"forbidden\" is not a response code (403) or a class of them (4xx, 40x)"), stderr());
        assertEquals(2, run("query", "--explain", "-o", "json"));
        assertEquals(2, run("query", "--count-by", "colour"));
        assertTrue(stderr().contains("--count-by colour: not one of time, user"), stderr());
        assertEquals(2, run("query", "--since", "yesterday"));
        assertEquals(2, run("query", "--from", "2026-11-26T12:00:00Z", "--to", "2026-11-26T11:00:00Z"));
        assertEquals(2, run("status", "-o", "ndjson"));
        assertTrue(stderr().contains("--output must be text or json, found \"ndjson\""), stderr());
        assertEquals(1, run("query", "--root", root.resolve("nothing").toString()));
        assertTrue(stderr().contains("no audit log and no backups of it here"), stderr());
    }

    @Test
    void sinceCountsBackFromNow() throws Exception {
        var line = new org.apache.commons.cli.DefaultParser().parse(QueryFilters.options(), new String[] {"--since", "90m"});
        var filter = QueryFilters.filter(line, Instant.parse("2026-11-26T13:30:00Z"));
        assertEquals(Instant.parse("2026-11-26T12:00:00Z"), filter.time().from().orElseThrow());
    }
}
