package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditRotationIT {

    @Test
    void tinyMaxSizeRotatesLikeLumberjackKeepsMaxBackupAndLosesOrDuplicatesNoRetainedEvent(@TempDir Path root)
            throws Exception {
        SimulatedNode node = SimulatedNode.create(root, KubeletSettings.fast().withAuditMaxSizeBytes(4096));
        NodeFixtures.writePolicy(node, NodeFixtures.METADATA_POLICY);
        NodeFixtures.swapManifest(node, NodeFixtures.audited(node, "--audit-log-maxbackup=3", "--audit-log-compress=true"));
        List<String> burst;
        long pid;
        try (node) {
            node.start();
            pid = node.kubelet().containerPid().orElseThrow();
            HttpClient client = HttpClient.newBuilder().sslContext(node.trustingNodeCa()).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(node.apiServerUrl().resolve("/sim/traffic?requests=200"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode summary = GoJson.MAPPER.readTree(r.body());
            assertEquals(200, summary.path("events").asInt(), "one ResponseComplete event per request");
            burst = new ArrayList<>();
            summary.path("auditIDs").forEach(id -> burst.add(id.asText()));
        }
        assertTrue(ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive(), "the server is gone");

        Path dir = node.paths().resolve(NodeFixtures.LOG_DIR);
        List<Path> backups;
        try (Stream<Path> files = Files.list(dir)) {
            backups = files.filter(f -> !f.getFileName().toString().equals("audit.log")).sorted().toList();
        }
        assertEquals(3, backups.size(), NodeFixtures.tree(dir));
        for (Path b : backups) {
            assertTrue(b.getFileName().toString().matches("audit-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}\\.log\\.gz"),
                    b.toString());
        }
        List<String> lines = new ArrayList<>();
        for (Path b : backups) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(b))) {
                lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
        }
        lines.addAll(Files.readAllLines(dir.resolve("audit.log")));
        Set<String> seen = new HashSet<>();
        List<String> retainedBurst = new ArrayList<>();
        Set<String> burstIds = new HashSet<>(burst);
        for (String line : lines) {
            JsonNode e = GoJson.MAPPER.readTree(line);
            String id = e.path("auditID").asText();
            assertTrue(seen.add(id + "/" + e.path("stage").asText()), "duplicate event " + line);
            if (burstIds.contains(id)) {
                retainedBurst.add(id);
            }
        }
        // Pruning removes whole old files: what is left is the newest part of the burst, in order, with no gap.
        assertTrue(retainedBurst.size() > 10, "retained " + retainedBurst.size());
        assertEquals(burst.subList(burst.size() - retainedBurst.size(), burst.size()), retainedBurst);
    }
}
