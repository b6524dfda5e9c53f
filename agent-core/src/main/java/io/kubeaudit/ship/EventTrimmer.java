package io.kubeaudit.ship;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API server's own truncation ({@code --audit-*-truncate-enabled}): an event too large for the
 * destination loses its top-level {@code requestObject} and {@code responseObject}; the caller then adds
 * the {@code audit.k8s.io/truncated: "true"} annotation. Members are cut out by their byte ranges from a
 * streaming parse, so a 5 MB event costs one pass and one smaller copy, never a tree.
 */
final class EventTrimmer {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> DROPPED = Set.of("requestObject", "responseObject");

    private EventTrimmer() {
    }

    /** The event without its request and response objects (the same array when it has neither). */
    static byte[] trim(byte[] event) throws InvalidEventException {
        List<Integer> starts = new ArrayList<>();
        List<Boolean> dropped = new ArrayList<>();
        int close;
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                starts.add((int) p.currentTokenLocation().getByteOffset());
                dropped.add(DROPPED.contains(p.currentName()));
                p.nextToken();
                p.skipChildren();
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new InvalidEventException("not a JSON object: unexpected " + p.currentToken());
            }
            close = (int) p.currentTokenLocation().getByteOffset();
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory event cannot fail", e);
        }
        if (!dropped.contains(true)) {
            return event;
        }
        // Member i spans from its key to the next key (its trailing comma included); the last one ends at the '}'.
        ByteArrayOutputStream out = new ByteArrayOutputStream(event.length / 4);
        out.write(event, 0, starts.get(0));
        boolean lastKeptHasComma = false;
        for (int i = 0; i < starts.size(); i++) {
            if (dropped.get(i)) {
                continue;
            }
            int end = i + 1 < starts.size() ? starts.get(i + 1) : close;
            out.write(event, starts.get(i), end - starts.get(i));
            lastKeptHasComma = i + 1 < starts.size();
        }
        byte[] kept = out.toByteArray();
        int length = kept.length;
        if (lastKeptHasComma) {
            length = JsonShape.previousNonSpace(kept, length - 1);
        }
        ByteArrayOutputStream result = new ByteArrayOutputStream(length + event.length - close);
        result.write(kept, 0, length);
        result.write(event, close, event.length - close);
        return result.toByteArray();
    }
}
