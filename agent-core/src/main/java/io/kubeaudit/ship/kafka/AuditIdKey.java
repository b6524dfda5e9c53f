package io.kubeaudit.ship.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The record key: the event's top-level {@code auditID}, the same for every stage of one request, so Kafka's
 * partitioner puts the stages in one partition, in the order they were sent. The API server writes auditID
 * fourth, so the scan stops after a few dozen bytes instead of reading the request and response objects.
 */
final class AuditIdKey {

    private static final JsonFactory JSON = new JsonFactory();

    private AuditIdKey() {
    }

    /** The auditID's UTF-8 bytes; null (no key: the producer spreads such records) when the event has none. */
    static byte[] of(byte[] event) {
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean auditId = p.currentName().equals("auditID");
                JsonToken value = p.nextToken();
                if (auditId) {
                    return value == JsonToken.VALUE_STRING && p.getTextLength() > 0 ? p.getText().getBytes(StandardCharsets.UTF_8) : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            // The pipeline sends only lines that are JSON objects; a malformed tail after auditID is not reached.
            return null;
        }
    }
}
