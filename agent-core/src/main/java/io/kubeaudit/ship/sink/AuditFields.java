package io.kubeaudit.ship.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of an {@code audit.k8s.io} Event that destinations key, route or filter by, read with
 * Jackson's streaming parser from the top level (request and response objects are skipped, not
 * built). A field the event does not have is {@code ""} ({@code code}: 0).
 */
public record AuditFields(String kind, String apiVersion, String level, String auditID, String stage, String verb,
                          String username, List<String> groups, String apiGroup, String resource, String subresource,
                          String namespace, String name, int code, String requestReceivedTimestamp, String stageTimestamp) {

    private static final JsonFactory JSON = new JsonFactory();

    public AuditFields {
        groups = List.copyOf(groups);
    }

    /** An audit Event names itself and has an auditID; anything else is some other JSON object. */
    public boolean isAuditEvent() {
        return kind.equals("Event") && !auditID.isEmpty();
    }

    /**
     * Reads the fields of one JSON object.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object
     */
    public static AuditFields read(byte[] event) {
        Builder b = new Builder();
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "kind" -> b.kind = text(p);
                    case "apiVersion" -> b.apiVersion = text(p);
                    case "level" -> b.level = text(p);
                    case "auditID" -> b.auditID = text(p);
                    case "stage" -> b.stage = text(p);
                    case "verb" -> b.verb = text(p);
                    case "requestReceivedTimestamp" -> b.requestReceivedTimestamp = text(p);
                    case "stageTimestamp" -> b.stageTimestamp = text(p);
                    case "user" -> user(p, b);
                    case "objectRef" -> objectRef(p, b);
                    case "responseStatus" -> responseStatus(p, b);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: unexpected " + p.currentToken());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory event cannot fail", e);
        }
        return b.build();
    }

    private static void user(JsonParser p, Builder b) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("username")) {
                b.username = text(p);
            } else if (field.equals("groups") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.VALUE_STRING) {
                        b.groups.add(p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void objectRef(JsonParser p, Builder b) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "apiGroup" -> b.apiGroup = text(p);
                case "resource" -> b.resource = text(p);
                case "subresource" -> b.subresource = text(p);
                case "namespace" -> b.namespace = text(p);
                case "name" -> b.name = text(p);
                default -> p.skipChildren();
            }
        }
    }

    private static void responseStatus(JsonParser p, Builder b) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("code") && value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                b.code = p.getIntValue();
            } else {
                p.skipChildren();
            }
        }
    }

    /** A string value as is; any other value (a number, an object) does not count as the field. */
    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return "";
    }

    private static final class Builder {
        String kind = "";
        String apiVersion = "";
        String level = "";
        String auditID = "";
        String stage = "";
        String verb = "";
        String username = "";
        final List<String> groups = new ArrayList<>();
        String apiGroup = "";
        String resource = "";
        String subresource = "";
        String namespace = "";
        String name = "";
        int code;
        String requestReceivedTimestamp = "";
        String stageTimestamp = "";

        AuditFields build() {
            return new AuditFields(kind, apiVersion, level, auditID, stage, verb, username, groups, apiGroup, resource, subresource,
                    namespace, name, code, requestReceivedTimestamp, stageTimestamp);
        }
    }
}
