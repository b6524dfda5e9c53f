package io.kubeaudit.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One record of the agent's dead-letter files ({@code ship} writes them): when, which destination, why,
 * where in the log, and the event's line as text ({@code line}) or, when not UTF-8, {@code lineBase64}.
 */
record DeadLetterRecord(MatchedEvent.DeadLetter about, byte[] line) {

    private static final JsonFactory JSON = new JsonFactory();

    static DeadLetterRecord parse(byte[] bytes, int from, int to) throws EventParser.NotAnEventException {
        String time = "";
        String destination = "";
        String reason = "";
        String file = "";
        long offset = -1;
        byte[] line = null;
        try (JsonParser p = JSON.createParser(bytes, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new EventParser.NotAnEventException("not a dead-letter record: not a JSON object", 1);
            }
            for (String field; (field = p.nextFieldName()) != null; ) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "time" -> time = p.getValueAsString("");
                    case "destination" -> destination = p.getValueAsString("");
                    case "reason" -> reason = p.getValueAsString("");
                    case "file" -> file = p.getValueAsString("");
                    case "offset" -> offset = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "line" -> line = p.getValueAsString("").getBytes(StandardCharsets.UTF_8);
                    case "lineBase64" -> line = Base64.getDecoder().decode(p.getValueAsString(""));
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new EventParser.NotAnEventException("not a dead-letter record: invalid JSON: " + e.getOriginalMessage(), 0);
        } catch (IllegalArgumentException e) {
            throw new EventParser.NotAnEventException("not a dead-letter record: lineBase64 is not base64", 0);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a line in memory cannot fail", e);
        }
        if (line == null) {
            throw new EventParser.NotAnEventException("not a dead-letter record: it has neither line nor lineBase64", 0);
        }
        return new DeadLetterRecord(new MatchedEvent.DeadLetter(time, destination, reason, file, offset), line);
    }
}
