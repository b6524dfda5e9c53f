package io.kubeaudit.ship;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The full parse, used only off the hot path: on the events of a batch the destination rejected. */
final class JsonValidator {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonValidator() {
    }

    /** Null when {@code bytes} is exactly one valid JSON object; otherwise why not. */
    static String whyInvalid(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "invalid JSON: not an object";
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return "invalid JSON: more than one value on the line";
            }
            return null;
        } catch (JsonProcessingException e) {
            return "invalid JSON: " + e.getOriginalMessage();
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory event cannot fail", e);
        }
    }
}
