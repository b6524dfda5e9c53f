package io.kubeaudit.ship.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.ship.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import io.kubeaudit.testing.opensearch.OpenSearchHttp;
import io.kubeaudit.testing.opensearch.OpenSearchServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The index template against a real OpenSearch 2.19: the corpus's audit logs bulk-indexed through it without
 * one mapping error and searchable by their own fields, objects with thousands of keys and deep nesting taken
 * whole; and, as the control that shows why the template exists, the same lines refused under dynamic mapping.
 */
class IndexTemplateIT {

    private static OpenSearchServer opensearch;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<byte[]> CORPUS = Corpus.allEvents();

    @BeforeAll
    static void startWithTheTemplate() throws Exception {
        opensearch = OpenSearchServer.start("IndexTemplateIT");
        http().ok("PUT", "/_index_template/kube-audit-agent-it", template().toString());
    }

    private static ObjectNode template() throws Exception {
        return IndexTemplate.body(List.of("audit-template-*"), OpenEndedObjects.forServer(http().ok("GET", "/", null)), Optional.empty());
    }

    @AfterAll
    static void stop() throws Exception {
        opensearch.close();
    }

    @Test
    void theServerIsOneThatHasFlatObject() throws Exception {
        assertEquals(OpenEndedObjects.FLAT_OBJECT, OpenEndedObjects.forServer(http().ok("GET", "/", null)));
    }

    @Test
    void theTemplateComesBackFromTheServerWithItsFingerprintIntactAndAnEditShows() throws Exception {
        JsonNode stored = http().ok("GET", "/_index_template/kube-audit-agent-it", null).at("/index_templates/0/index_template");
        assertEquals(TemplateCheck.CURRENT, TemplateCheck.of(Optional.of(stored), template()));

        ObjectNode edited = stored.deepCopy();
        edited.put("priority", 300);
        edited.set("index_patterns", JSON.readTree("[\"audit-edited-*\"]"));
        http().ok("PUT", "/_index_template/kube-audit-agent-edited", edited.toString());
        JsonNode storedEdit = http().ok("GET", "/_index_template/kube-audit-agent-edited", null).at("/index_templates/0/index_template");
        assertEquals(TemplateCheck.CHANGED, TemplateCheck.of(Optional.of(storedEdit), template()));
    }

    @Test
    void everyCorpusLineIndexesThroughTheTemplateAndIsSearchableByItsOwnFields() throws Exception {
        JsonNode answer = bulk("audit-template-corpus", CORPUS);
        assertEquals(Map.of(), refusals(answer), "no line refused");
        assertEquals(CORPUS.size(), http().count("audit-template-corpus", null));

        List<JsonNode> events = CORPUS.stream().map(IndexTemplateIT::parse).toList();
        assertSearch(events, "{\"term\":{\"user.username\":\"system:admin\"}}", e -> "system:admin".equals(e.at("/user/username").asText()));
        assertSearch(events, "{\"term\":{\"user.groups\":\"system:masters\"}}", e -> contains(e.at("/user/groups"), "system:masters"));
        assertSearch(events, "{\"term\":{\"verb\":\"create\"}}", e -> "create".equals(e.path("verb").asText()));
        assertSearch(events, "{\"term\":{\"objectRef.resource\":\"pods\"}}", e -> "pods".equals(e.at("/objectRef/resource").asText()));
        assertSearch(events, "{\"term\":{\"objectRef.namespace\":\"kube-system\"}}", e -> "kube-system".equals(e.at("/objectRef/namespace").asText()));
        assertSearch(events, "{\"range\":{\"responseStatus.code\":{\"gte\":400}}}", e -> e.at("/responseStatus/code").asInt(0) >= 400);
        assertSearch(events, "{\"term\":{\"annotations.authorization.k8s.io/decision\":\"forbid\"}}",
                e -> "forbid".equals(e.at("/annotations").path("authorization.k8s.io/decision").asText()));
        assertSearch(events, "{\"range\":{\"requestReceivedTimestamp\":{\"gte\":\"2026-11-26T12:28:00Z\"}}}",
                e -> e.path("requestReceivedTimestamp").asText("").compareTo("2026-11-26T12:28:00") >= 0);
    }

    @Test
    void underDynamicMappingPartOfTheCorpusIsRefused() throws Exception {
        Map<String, Integer> refused = refusals(bulk("audit-dynamic", CORPUS));
        int total = refused.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("dynamic mapping: %d of %d corpus lines refused %s%n", total, CORPUS.size(), refused);
        assertTrue(total > 0, "the corpus holds the objects that break dynamic mapping");
        assertTrue(refused.keySet().stream().anyMatch(k -> k.startsWith("mapper_parsing_exception")), refused::toString);
    }

    @Test
    void objectsWithThousandsOfKeysAndDeepNestingIndexWhole() throws Exception {
        List<byte[]> events = List.of(
                event("cm-5000", configMap(5_000)),
                event("cm-20000", configMap(20_000)),
                event("deep", nested(200)),
                event("managed-fields", "{\"metadata\":{\"managedFields\":[{\"fieldsV1\":{\"f:data\":{\".\":{},\"f:a.b\":{}}}}]}}"),
                event("json-patch", "[{\"op\":\"add\",\"path\":\"/metadata/labels/a\",\"value\":\"b\"}]"));
        assertEquals(Map.of(), refusals(bulk("audit-template-wide", events)));
        assertEquals(1, http().count("audit-template-wide", "{\"term\":{\"requestObject.data.key-19999\":\"value 19999\"}}"));
        assertEquals(2, http().count("audit-template-wide", "{\"term\":{\"requestObject.data.key-04999\":\"value 4999\"}}"), "both ConfigMaps");
        JsonNode fields = http().ok("GET", "/audit-template-wide/_mapping", null);
        assertFalse(fields.toString().contains("key-00001"), "a ConfigMap key never becomes a mapping");
    }

    @Test
    void overlongValuesOfTheEventsOwnFieldsDoNotRefuseIt() throws Exception {
        String longText = "é".repeat(40_000);
        byte[] line = ("{\"auditID\":\"long\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/" + longText
                + "\",\"user\":{\"username\":\"" + longText + "\",\"groups\":[\"" + longText + "\"]},"
                + "\"sourceIPs\":[\"not-an-ip\"],\"requestReceivedTimestamp\":\"yesterday\",\"responseStatus\":{\"code\":\"x\"}}")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of(), refusals(bulk("audit-template-long", List.of(line))));
    }

    private static OpenSearchHttp http() {
        return opensearch.http();
    }

    private static void assertSearch(List<JsonNode> events, String query, Predicate<JsonNode> matches) throws Exception {
        long expected = events.stream().filter(matches).count();
        assertTrue(expected > 0, "the corpus has events for " + query);
        assertEquals(expected, http().count("audit-template-corpus", query), query);
    }

    private static JsonNode bulk(String index, List<byte[]> lines) throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int n = 0;
        for (byte[] line : lines) {
            body.writeBytes(("{\"create\":{\"_id\":\"" + n++ + "\"}}\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(line);
            body.write('\n');
        }
        OpenSearchHttp.Reply reply = http().bulk("/" + index, body.toByteArray());
        assertEquals(200, reply.status(), reply::body);
        JsonNode answer = reply.json();
        assertEquals(lines.size(), answer.get("items").size());
        return answer;
    }

    /** Refused items by error type and reason, e.g. "mapper_parsing_exception: failed to parse" -> 421. */
    private static Map<String, Integer> refusals(JsonNode answer) {
        Map<String, Integer> refused = new TreeMap<>();
        for (JsonNode item : answer.get("items")) {
            JsonNode error = item.get("create").get("error");
            if (error != null) {
                String cause = error.path("caused_by").path("reason").asText(error.path("reason").asText());
                String reason = cause.length() > 100 ? cause.substring(0, 100) : cause;
                refused.merge(error.get("type").asText() + ": " + reason, 1, Integer::sum);
            }
        }
        return refused;
    }

    private static byte[] event(String id, String requestObject) {
        return ("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\",\"auditID\":\"" + id
                + "\",\"stage\":\"ResponseComplete\",\"verb\":\"create\",\"requestObject\":" + requestObject + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String configMap(int keys) {
        StringBuilder data = new StringBuilder("{\"kind\":\"ConfigMap\",\"data\":{");
        for (int i = 0; i < keys; i++) {
            data.append(i == 0 ? "" : ",").append(String.format("\"key-%05d\":\"value %d\"", i, i));
        }
        return data.append("}}").toString();
    }

    private static String nested(int depth) {
        return "{\"l\":".repeat(depth) + "\"leaf\"" + "}".repeat(depth);
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (value.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode parse(byte[] line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("corpus line is not JSON", e);
        }
    }
}
