package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventTrimmerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void corpusEventsLoseExactlyTheirRequestAndResponseObjects() throws Exception {
        int trimmed = 0;
        for (byte[] line : Corpus.allEvents()) {
            JsonNode original = JSON.readTree(line);
            byte[] out = EventTrimmer.trim(line);
            if (!original.has("requestObject") && !original.has("responseObject")) {
                assertSame(line, out, "nothing to drop, nothing copied");
                continue;
            }
            trimmed++;
            ObjectNode expected = ((ObjectNode) original).deepCopy();
            expected.remove("requestObject");
            expected.remove("responseObject");
            assertEquals(expected, JSON.readTree(out));
            assertTrue(out.length < line.length);
        }
        assertTrue(trimmed > 1000, "the real RequestResponse log has request and response objects: " + trimmed);
    }

    @Test
    void membersAreCutCleanlyWhereverTheyStand() throws Exception {
        assertTrimmed("{\"requestObject\":{\"a\":1},\"b\":2}", "{\"b\":2}");
        assertTrimmed("{\"b\":2,\"responseObject\":{\"a\":1}}", "{\"b\":2}");
        assertTrimmed("{ \"b\" : 2 , \"requestObject\" : [ {\"op\":\"add\"} ] , \"responseObject\":{} , \"c\":3 }", "{ \"b\" : 2 , \"c\":3 }");
        assertTrimmed("{\"requestObject\":{},\"responseObject\":{}}", "{}");
        assertTrimmed("{\"b\":\"requestObject\",\"responseObject\":\"}\"}", "{\"b\":\"requestObject\"}");
    }

    @Test
    void nestedObjectsOfTheSameNameStay() throws Exception {
        assertTrimmed("{\"user\":{\"requestObject\":1},\"requestObject\":{}}", "{\"user\":{\"requestObject\":1}}");
    }

    @Test
    void invalidJsonIsReported() {
        assertThrows(InvalidEventException.class, () -> EventTrimmer.trim("{\"requestObject\":{\"a\" 1}}".getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertTrimmed(String event, String expected) throws Exception {
        assertEquals(expected, new String(EventTrimmer.trim(event.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }
}
