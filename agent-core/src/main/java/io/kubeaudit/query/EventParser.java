package io.kubeaudit.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one line as an audit event with Jackson's streaming parser, keeping the fields {@link AuditEvent}
 * has and stepping over the rest (bodies, v1beta1's {@code metadata}, fields of later versions). The
 * whole line is still tokenised, so a line that is not valid JSON is always found out.
 *
 * <p>What counts as an event: one JSON object, {@code kind} "Event" when it has a kind (old webhook
 * captures have none), with an {@code auditID}, a {@code stage} and a {@code verb}. Everything else
 * (a GKE or AKS wrapper, {@code {"kind": 0}}, a pretty-printed fragment) is refused with the reason.
 */
public final class EventParser {

    private static final JsonFactory JSON = new JsonFactory();

    /** Why a line is not an audit event; {@code column} is 1-based, 0 when it is about the whole line. */
    public static final class NotAnEventException extends Exception {
        private final int column;

        public NotAnEventException(String message, int column) {
            super(message);
            this.column = column;
        }

        public int column() {
            return column;
        }
    }

    private final boolean measureManagedFields;

    private EventParser(boolean measureManagedFields) {
        this.measureManagedFields = measureManagedFields;
    }

    /** For queries: the bodies are measured, not looked into. */
    public static EventParser forQueries() {
        return new EventParser(false);
    }

    /** For the policy simulation, which also needs the bytes of the bodies' managedFields. */
    public static EventParser measuringManagedFields() {
        return new EventParser(true);
    }

    public AuditEvent parse(byte[] line, int from, int to) throws NotAnEventException {
        try (JsonParser p = JSON.createParser(line, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotAnEventException("not a JSON object", 1);
            }
            AuditEvent event = new EventReader(p, measureManagedFields).read();
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new NotAnEventException("more than one JSON value on the line", column(p));
            }
            return event;
        } catch (JsonProcessingException e) {
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw new NotAnEventException("invalid JSON: " + plain(e.getOriginalMessage()), Math.max(column, 0));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a line in memory cannot fail", e);
        }
    }

    /** Jackson's message without its pointers into the source, which the file and column already give. */
    private static String plain(String message) {
        if (message.startsWith("Unexpected end-of-input")) {
            return "the line ends before the JSON value does (cut off, or pretty-printed over several lines)";
        }
        int marker = message.indexOf(" (start marker at");
        return (marker < 0 ? message : message.substring(0, marker)).replace('\n', ' ');
    }

    private static int column(JsonParser p) {
        return Math.max(p.currentTokenLocation().getColumnNr(), 0);
    }

    /** The state of reading one event. */
    private static final class EventReader {
        private final JsonParser p;
        private final boolean measureManagedFields;
        private String kind;
        private String apiVersion = "";
        private String level = "";
        private String auditId;
        private String stage;
        private String requestUri = "";
        private String verb;
        private AuditEvent.User user = AuditEvent.User.NONE;
        private AuditEvent.User impersonated;
        private List<String> sourceIps = List.of();
        private String userAgent = "";
        private AuditEvent.ObjectRef objectRef;
        private AuditEvent.ResponseStatus status;
        private String statusMessage = "";
        private String received = "";
        private String legacyTimestamp = "";
        private String stageTime = "";
        private Map<String, String> annotations = Map.of();
        private int requestBytes;
        private int requestManaged;
        private int responseBytes;
        private int responseManaged;

        EventReader(JsonParser p, boolean measureManagedFields) {
            this.p = p;
            this.measureManagedFields = measureManagedFields;
        }

        AuditEvent read() throws IOException, NotAnEventException {
            for (String field; (field = p.nextFieldName()) != null; ) {
                long keyStart = p.currentTokenLocation().getByteOffset();
                p.nextToken();
                switch (field) {
                    case "kind" -> kind = string(field);
                    case "apiVersion" -> apiVersion = string(field);
                    case "level" -> level = string(field);
                    case "auditID" -> auditId = string(field);
                    case "stage" -> stage = string(field);
                    case "requestURI" -> requestUri = string(field);
                    case "verb" -> verb = string(field);
                    case "user" -> user = user(field);
                    case "impersonatedUser" -> impersonated = p.currentToken() == JsonToken.VALUE_NULL ? null : user(field);
                    case "sourceIPs" -> sourceIps = strings(field);
                    case "userAgent" -> userAgent = string(field);
                    case "objectRef" -> objectRef = p.currentToken() == JsonToken.VALUE_NULL ? null : objectRef(field);
                    case "responseStatus" -> status = p.currentToken() == JsonToken.VALUE_NULL ? null : responseStatus(field);
                    case "requestReceivedTimestamp" -> received = string(field);
                    case "timestamp" -> legacyTimestamp = string(field);
                    case "stageTimestamp" -> stageTime = string(field);
                    case "annotations" -> annotations = stringMap(field);
                    case "requestObject" -> {
                        requestManaged = body();
                        requestBytes = memberBytes(keyStart);
                    }
                    case "responseObject" -> {
                        responseManaged = responseBody();
                        responseBytes = memberBytes(keyStart);
                    }
                    default -> p.skipChildren();
                }
            }
            if (kind != null && !kind.equals("Event")) {
                throw new NotAnEventException("not an audit event: kind is \"" + kind + "\", not \"Event\"", 0);
            }
            if (auditId == null || stage == null || verb == null) {
                throw new NotAnEventException("not an audit event: a JSON object without " + missing()
                        + " (another kind of record, or an event wrapped in one: GKE, AKS)", 0);
            }
            String time = !received.isEmpty() ? received : legacyTimestamp;
            if (status != null && status.message().isEmpty() && !statusMessage.isEmpty()) {
                status = new AuditEvent.ResponseStatus(status.code(), status.status(), status.reason(), statusMessage);
            }
            return new AuditEvent(apiVersion, level, auditId, stage, requestUri, verb, user, Optional.ofNullable(impersonated),
                    sourceIps, userAgent, Optional.ofNullable(objectRef), Optional.ofNullable(status), time, stageTime,
                    annotations, new AuditEvent.Bodies(requestBytes, requestManaged, responseBytes, responseManaged));
        }

        private String missing() {
            List<String> names = new ArrayList<>();
            if (auditId == null) {
                names.add("auditID");
            }
            if (stage == null) {
                names.add("stage");
            }
            if (verb == null) {
                names.add("verb");
            }
            return String.join(", ", names);
        }

        /** The member's bytes from its key to the end of its value, plus one separating comma. */
        private int memberBytes(long keyStart) {
            return (int) (p.currentLocation().getByteOffset() - keyStart) + 1;
        }

        private String string(String field) throws IOException, NotAnEventException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return "";
            }
            throw wrongType(field, "a string");
        }

        private List<String> strings(String field) throws IOException, NotAnEventException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw wrongType(field, "a list of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                if (t != JsonToken.VALUE_STRING) {
                    throw wrongType(field, "a list of strings");
                }
                values.add(p.getText());
            }
            return values;
        }

        private Map<String, String> stringMap(String field) throws IOException, NotAnEventException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return Map.of();
            }
            requireObject(field);
            Map<String, String> values = new LinkedHashMap<>();
            for (String key; (key = p.nextFieldName()) != null; ) {
                p.nextToken();
                values.put(key, string(field + "." + key));
            }
            return values;
        }

        private AuditEvent.User user(String field) throws IOException, NotAnEventException {
            requireObject(field);
            String username = "";
            String uid = "";
            List<String> groups = List.of();
            Map<String, List<String>> extra = Map.of();
            for (String key; (key = p.nextFieldName()) != null; ) {
                p.nextToken();
                switch (key) {
                    case "username" -> username = string(field + ".username");
                    case "uid" -> uid = string(field + ".uid");
                    case "groups" -> groups = strings(field + ".groups");
                    case "extra" -> extra = extra(field + ".extra");
                    default -> p.skipChildren();
                }
            }
            return new AuditEvent.User(username, uid, groups, extra);
        }

        private Map<String, List<String>> extra(String field) throws IOException, NotAnEventException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return Map.of();
            }
            requireObject(field);
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (String key; (key = p.nextFieldName()) != null; ) {
                p.nextToken();
                values.put(key, strings(field + "." + key));
            }
            return values;
        }

        private AuditEvent.ObjectRef objectRef(String field) throws IOException, NotAnEventException {
            requireObject(field);
            String resource = "";
            String namespace = "";
            String name = "";
            String uid = "";
            String apiGroup = "";
            String apiVersion = "";
            String resourceVersion = "";
            String subresource = "";
            for (String key; (key = p.nextFieldName()) != null; ) {
                p.nextToken();
                String path = field + "." + key;
                switch (key) {
                    case "resource" -> resource = string(path);
                    case "namespace" -> namespace = string(path);
                    case "name" -> name = string(path);
                    case "uid" -> uid = string(path);
                    case "apiGroup" -> apiGroup = string(path);
                    case "apiVersion" -> apiVersion = string(path);
                    case "resourceVersion" -> resourceVersion = string(path);
                    case "subresource" -> subresource = string(path);
                    default -> p.skipChildren();
                }
            }
            return new AuditEvent.ObjectRef(resource, namespace, name, uid, apiGroup, apiVersion, resourceVersion, subresource);
        }

        private AuditEvent.ResponseStatus responseStatus(String field) throws IOException, NotAnEventException {
            requireObject(field);
            int code = 0;
            String statusText = "";
            String reason = "";
            String message = "";
            for (String key; (key = p.nextFieldName()) != null; ) {
                p.nextToken();
                switch (key) {
                    case "code" -> {
                        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                            throw wrongType(field + ".code", "a whole number");
                        }
                        code = p.getIntValue();
                    }
                    case "status" -> statusText = string(field + ".status");
                    case "reason" -> reason = string(field + ".reason");
                    case "message" -> message = string(field + ".message");
                    default -> p.skipChildren();
                }
            }
            return new AuditEvent.ResponseStatus(code, statusText, reason, message);
        }

        /**
         * The response body: a failure's Status carries the message people need ("deployments.apps "web" is
         * forbidden: User ... cannot delete ..."), which the event's responseStatus lacks.
         */
        private int responseBody() throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return 0;
            }
            String bodyKind = "";
            String message = "";
            int managed = 0;
            for (String key; (key = p.nextFieldName()) != null; ) {
                p.nextToken();
                switch (key) {
                    case "kind" -> bodyKind = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "message" -> message = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : "";
                    default -> managed += bodyMember(key);
                }
            }
            if (bodyKind.equals("Status")) {
                statusMessage = message;
            }
            return managed;
        }

        /** Steps over a body; returns the bytes of its managedFields when they are measured. */
        private int body() throws IOException {
            if (!measureManagedFields || p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return 0;
            }
            int managed = 0;
            for (String key; (key = p.nextFieldName()) != null; ) {
                p.nextToken();
                managed += bodyMember(key);
            }
            return managed;
        }

        /** One member of a body, stepped over; the bytes of managedFields in it when they are measured. */
        private int bodyMember(String key) throws IOException {
            if (measureManagedFields && key.equals("metadata") && p.currentToken() == JsonToken.START_OBJECT) {
                return managedFieldsIn();
            }
            if (measureManagedFields && key.equals("items") && p.currentToken() == JsonToken.START_ARRAY) {
                // A list: the server drops managedFields from every item (omitManagedFields).
                int managed = 0;
                for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    if (t == JsonToken.START_OBJECT) {
                        managed += body();
                    } else {
                        p.skipChildren();
                    }
                }
                return managed;
            }
            p.skipChildren();
            return 0;
        }

        /** Inside a metadata object: the bytes of its managedFields member. */
        private int managedFieldsIn() throws IOException {
            int managed = 0;
            for (String key; (key = p.nextFieldName()) != null; ) {
                long keyStart = p.currentTokenLocation().getByteOffset();
                p.nextToken();
                p.skipChildren();
                if (key.equals("managedFields")) {
                    managed += memberBytes(keyStart);
                }
            }
            return managed;
        }

        private void requireObject(String field) throws NotAnEventException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw wrongType(field, "an object");
            }
        }

        private NotAnEventException wrongType(String field, String expected) {
            return new NotAnEventException("not an audit event: " + field + " is " + describe(p.currentToken())
                    + ", not " + expected, column(p));
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                case START_ARRAY -> "a list";
                case START_OBJECT -> "an object";
                default -> t.toString();
            };
        }
    }
}
