package io.kubeaudit.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON written as Go's encoding/json writes it: {@code <}, {@code >} and {@code &} escaped as lowercase
 * {@code \u003c}-style sequences. Real audit lines carry {@code \u0026} in every request URI with two query
 * parameters, and a reader tested only against Jackson's own output would never meet one.
 */
final class GoJson {

    static final ObjectMapper MAPPER = new ObjectMapper(new JsonFactory().setCharacterEscapes(new GoEscapes()));

    private GoJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One JSON-lines record: the document and a newline, UTF-8. */
    static byte[] line(JsonNode node) {
        return (write(node) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static final class GoEscapes extends CharacterEscapes {

        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        GoEscapes() {
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028 || ch == 0x2029 || ch < 128) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
