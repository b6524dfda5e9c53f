package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonShapeTest {

    @Test
    void everyLineOfARealLogIsAnObject() {
        for (byte[] line : Corpus.allEvents()) {
            assertNull(JsonShape.whyNotAnObject(line), () -> new String(line, StandardCharsets.UTF_8));
        }
    }

    @Test
    void noLineOfAPrettyPrintedEventIsTakenForOne() {
        for (String file : Corpus.NOT_JSON_LINES) {
            for (byte[] line : Corpus.lines(file)) {
                assertNotNull(JsonShape.whyNotAnObject(line), () -> file + ": " + new String(line, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void reasonsSayWhatIsWrong() {
        assertEquals("empty line", why("  \r"));
        assertEquals("not a JSON object: starts with '['", why("[1]"));
        assertEquals("not a JSON object: ends with ',' (truncated, or JSON spread over several lines)", why("{\"a\":1,"));
        assertEquals("not a JSON object: ends with '{' (truncated, or JSON spread over several lines)", why("{"));
        assertEquals("not a JSON object: '{' is followed by '1', not a key", why("{1}"));
        assertEquals("not a JSON object: the last member ends with ':'", why("{\"a\":}"));
        assertNull(why("{}"));
        assertNull(why(" {\"kind\": 0}\r"));
    }

    private static String why(String line) {
        return JsonShape.whyNotAnObject(line.getBytes(StandardCharsets.UTF_8));
    }
}
