package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotationLocatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Annotations ANNOTATIONS = Annotations.of("cp-1", "prod \"eu\"");

    @Test
    void everyCorpusEventGetsTheAnnotationsAndStaysTheSameEventOtherwise() throws Exception {
        List<byte[]> events = Corpus.allEvents();
        assertTrue(events.size() > 4700, "the corpus is loaded: " + events.size());
        for (byte[] line : events) {
            assertNull(JsonShape.whyNotAnObject(line), () -> new String(line, StandardCharsets.UTF_8));
            for (boolean trimmed : new boolean[] {false, true}) {
                JsonNode expected = withAnnotations(JSON.readTree(line), trimmed);
                assertEquals(expected, JSON.readTree(written(line, trimmed)), () -> new String(line, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void theApiServersLayoutTakesTheFastPathWithoutParsing() throws Exception {
        byte[] event = AuditLines.event(1);
        Placement p = AnnotationLocator.locate(event);
        assertEquals(Placement.Kind.INTO_OBJECT, p.kind());
        assertEquals('{', event[p.offset() - 1]);
        assertEquals('"', event[p.offset()]);
    }

    @Test
    void emptyAnnotationsGetMembersWithoutAStrayComma() throws Exception {
        assertWritten("{\"a\":1,\"annotations\":{}}", "{\"a\":1,\"annotations\":{" + members(false) + "}}");
        assertWritten("{\"a\":1, \"annotations\" : { } }", "{\"a\":1, \"annotations\" : {" + members(false) + " } }");
    }

    @Test
    void anEventWithoutAnnotationsGetsTheMember() throws Exception {
        assertWritten("{\"a\":1}", "{\"a\":1,\"annotations\":{" + members(false) + "}}");
        assertWritten("{}", "{\"annotations\":{" + members(false) + "}}");
        assertWritten("{ }", "{ \"annotations\":{" + members(false) + "}}");
    }

    @Test
    void objectAnnotationsInsideTheRequestAreNotTheEventsAnnotations() throws Exception {
        String event = "{\"auditID\":\"x\",\"requestObject\":{\"metadata\":{\"annotations\":{\"k\":\"v\"}}},\"stage\":\"RequestReceived\"}";
        JsonNode out = JSON.readTree(written(event.getBytes(StandardCharsets.UTF_8), false));
        assertEquals("cp-1", out.get("annotations").get(Annotations.NODE).asText());
        assertEquals("v", out.get("requestObject").get("metadata").get("annotations").get("k").asText());
        assertEquals(1, out.get("requestObject").get("metadata").get("annotations").size());
    }

    @Test
    void aLastMemberThatMerelyLooksLikeAnnotationsIsNotTakenForIt() throws Exception {
        // The last member is a nested object whose own last member is named annotations, and a string that
        // ends in what looks like the key: both must not be mistaken for the top-level member.
        String nested = "{\"a\":1,\"responseObject\":{\"annotations\":{\"k\":\"v\"}}}";
        assertTrue(JSON.readTree(written(nested.getBytes(StandardCharsets.UTF_8), false)).get("annotations").has(Annotations.NODE));
        String quoted = "{\"note\":\"say \\\"annotations\\\":{\\\"x\\\":\\\"y\\\"}\",\"annotations\":{\"k\":\"v\\\\\"}}";
        JsonNode out = JSON.readTree(written(quoted.getBytes(StandardCharsets.UTF_8), false));
        assertEquals("v\\", out.get("annotations").get("k").asText());
        assertEquals("cp-1", out.get("annotations").get(Annotations.NODE).asText());
    }

    @Test
    void sortedKeysPutAnnotationsFirstAndTheSlowPathFindsThem() throws Exception {
        String sorted = "{\"annotations\":{\"k\":\"v\"},\"auditID\":\"x\",\"user\":{\"username\":\"u\"}}";
        Placement p = AnnotationLocator.locate(sorted.getBytes(StandardCharsets.UTF_8));
        assertEquals(Placement.Kind.INTO_OBJECT, p.kind());
        assertEquals(16, p.offset());
    }

    @Test
    void nullAnnotationsBecomeAnObject() throws Exception {
        JsonNode out = JSON.readTree(written("{\"annotations\":null,\"a\":{\"annotations\":1}}".getBytes(StandardCharsets.UTF_8), false));
        assertEquals("cp-1", out.get("annotations").get(Annotations.NODE).asText());
    }

    @Test
    void annotationsOfAnotherTypeAreLeftAlone() throws Exception {
        String odd = "{\"annotations\":[1,2],\"a\":{\"annotations\":1}}";
        assertEquals(Placement.Kind.NONE, AnnotationLocator.locate(odd.getBytes(StandardCharsets.UTF_8)).kind());
        assertEquals(odd, new String(written(odd.getBytes(StandardCharsets.UTF_8), false), StandardCharsets.UTF_8));
    }

    @Test
    void theSlowPathRejectsWhatIsNotJson() {
        String broken = "{\"a\":{\"annotations\":1} \"b\":2}";
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> AnnotationLocator.locate(broken.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("invalid JSON"), e.getMessage());
    }

    @Test
    void theKeySearchFindsWhatAPlainScanFinds() {
        java.util.Random random = new java.util.Random(3);
        byte[] alphabet = "\"annotis:{}, x".getBytes(StandardCharsets.US_ASCII);
        String key = "\"annotations\"";
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(60)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
            }
            if (b.length > key.length() && random.nextBoolean()) {
                System.arraycopy(key.getBytes(StandardCharsets.US_ASCII), 0, b, random.nextInt(b.length - key.length() + 1), key.length());
            }
            String text = new String(b, StandardCharsets.US_ASCII);
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int expected = text.substring(0, b.length).indexOf(key, from);
            assertEquals(expected, AnnotationLocator.indexOfKey(b, from, b.length), text + " from " + from);
        }
    }

    private static void assertWritten(String event, String expected) throws Exception {
        assertEquals(expected, new String(written(event.getBytes(StandardCharsets.UTF_8), false), StandardCharsets.UTF_8));
    }

    private static String members(boolean trimmed) {
        return new String(ANNOTATIONS.members(trimmed), StandardCharsets.UTF_8);
    }

    static byte[] written(byte[] event, boolean trimmed) throws Exception {
        PreparedEvent prepared = PreparedEvent.of(null, AnnotationLocator.locate(event), trimmed, ANNOTATIONS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        prepared.writeTo(out);
        assertEquals(prepared.length(), out.size(), "length() matches what writeTo writes");
        return out.toByteArray();
    }

    private static JsonNode withAnnotations(JsonNode event, boolean trimmed) {
        ObjectNode copy = ((ObjectNode) event).deepCopy();
        JsonNode existing = copy.get("annotations");
        ObjectNode annotations = existing instanceof ObjectNode o ? o : copy.putObject("annotations");
        annotations.put(Annotations.NODE, "cp-1");
        annotations.put(Annotations.CLUSTER, "prod \"eu\"");
        if (trimmed) {
            annotations.put(Annotations.TRUNCATED, "true");
        }
        return copy;
    }
}
