package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditEnableIT {

    @Test
    void addingAuditFlagsAndMountsRestartsTheServerWithANewUidAndEventsAppear(@TempDir Path root) throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            StaticPodStatus before = node.kubelet().apiServer();
            NodeFixtures.writePolicy(node, NodeFixtures.METADATA_POLICY);
            NodeFixtures.swapManifest(node, NodeFixtures.audited(node));

            StaticPodStatus after = NodeFixtures.awaitReplaced(node, before.uid());
            assertNotEquals(before.pid(), after.pid());
            assertEquals(0, after.restartCount());
            Kubectl.Result nodes = Kubectl.run(node, "get", "nodes");
            assertEquals(0, nodes.exitCode(), nodes.toString());

            Path log = node.paths().resolve(NodeFixtures.LOG);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
            List<JsonNode> events = NodeFixtures.lines(log).stream().map(AuditEnableIT::json).toList();
            JsonNode list = events.stream().filter(e -> e.path("requestURI").asText().startsWith("/api/v1/nodes"))
                    .findFirst().orElseThrow(() -> new AssertionError("no event for kubectl get nodes in " + events));
            assertEquals("kubernetes-admin", list.path("user").path("username").asText());
            assertEquals("[\"system:masters\",\"system:authenticated\"]", list.path("user").path("groups").toString());
            assertEquals("list", list.path("verb").asText());
            assertEquals("ResponseComplete", list.path("stage").asText());
            assertEquals("Metadata", list.path("level").asText());
            assertEquals(200, list.path("responseStatus").path("code").asInt());
            assertEquals("nodes", list.path("objectRef").path("resource").asText());
            assertTrue(list.path("userAgent").asText().startsWith("kubectl"), list.toString());
        }
    }

    private static JsonNode json(String line) {
        try {
            return GoJson.MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
