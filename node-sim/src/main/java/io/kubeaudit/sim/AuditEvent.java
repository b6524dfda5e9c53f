package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One audit.k8s.io/v1 Event, serialised with the real server's field order and formats (MicroTime
 * timestamps with six fractional digits, omitted empty fields) or as a legacy-format line.
 *
 * @param responseStatus null at RequestReceived
 * @param requestObject null unless the level is Request or above and the request had a body
 * @param responseObject null unless the level is RequestResponse and the response was a JSON object
 */
record AuditEvent(ServerPolicy.Level level, String auditID, ServerPolicy.Stage stage, String requestURI, RequestInfo request,
                  List<String> sourceIPs, String userAgent, Status responseStatus, JsonNode requestObject,
                  JsonNode responseObject, Instant requestReceived, Instant stageTimestamp, Map<String, String> annotations) {

    static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** metav1.Status as the audit event carries it. */
    record Status(int code, String status, String reason, String message) {
        static Status ok(int code) {
            return new Status(code, "", "", "");
        }

        ObjectNode toJson() {
            ObjectNode s = GoJson.object();
            s.putObject("metadata");
            putIfSet(s, "status", status);
            putIfSet(s, "message", message);
            putIfSet(s, "reason", reason);
            s.put("code", code);
            return s;
        }
    }

    ObjectNode toJson() {
        ObjectNode e = GoJson.object();
        e.put("kind", "Event");
        e.put("apiVersion", "audit.k8s.io/v1");
        e.put("level", level.wire);
        e.put("auditID", auditID);
        e.put("stage", stage.wire);
        e.put("requestURI", requestURI);
        e.put("verb", request.verb());
        ObjectNode user = e.putObject("user");
        putIfSet(user, "username", request.user().username());
        putIfSet(user, "uid", request.user().uid());
        if (!request.user().groups().isEmpty()) {
            ArrayNode groups = user.putArray("groups");
            request.user().groups().forEach(groups::add);
        }
        ArrayNode ips = e.putArray("sourceIPs");
        sourceIPs.forEach(ips::add);
        putIfSet(e, "userAgent", userAgent);
        if (request.resourceRequest()) {
            ObjectNode ref = e.putObject("objectRef");
            ref.put("resource", request.resource());
            putIfSet(ref, "namespace", request.namespace());
            putIfSet(ref, "name", request.name());
            putIfSet(ref, "apiGroup", request.apiGroup());
            ref.put("apiVersion", request.apiVersion());
            putIfSet(ref, "subresource", request.subresource());
        }
        if (responseStatus != null) {
            e.set("responseStatus", responseStatus.toJson());
        }
        if (requestObject != null) {
            e.set("requestObject", requestObject);
        }
        if (responseObject != null) {
            e.set("responseObject", responseObject);
        }
        e.put("requestReceivedTimestamp", MICRO_TIME.format(requestReceived));
        e.put("stageTimestamp", MICRO_TIME.format(stageTimestamp));
        if (!annotations.isEmpty()) {
            // A Go map: encoding/json writes its keys sorted.
            ObjectNode a = e.putObject("annotations");
            new TreeMap<>(annotations).forEach(a::put);
        }
        return e;
    }

    /** The legacy log format (k8s.io/apiserver plugin/pkg/audit/log EventString). */
    String toLegacyLine() {
        String username = "<none>";
        String groups = "<none>";
        if (!request.user().username().isEmpty()) {
            username = request.user().username();
            if (!request.user().groups().isEmpty()) {
                groups = request.user().groups().stream().map(GoStrings::quote).collect(Collectors.joining(","));
            }
        }
        String namespace = request.namespace().isEmpty() ? "<none>" : request.namespace();
        String response = responseStatus == null ? "<deferred>" : Integer.toString(responseStatus.code());
        String ip = sourceIPs.isEmpty() ? "<unknown>" : sourceIPs.get(0);
        return DateTimeFormatter.ISO_INSTANT.format(requestReceived) + " AUDIT: id=" + GoStrings.quote(auditID)
                + " stage=" + GoStrings.quote(stage.wire) + " ip=" + GoStrings.quote(ip) + " method=" + GoStrings.quote(request.verb())
                + " user=" + GoStrings.quote(username) + " groups=" + GoStrings.quote(groups) + " as=\"<self>\" asgroups=\"<lookup>\""
                + " user-agent=" + GoStrings.quote(userAgent) + " namespace=" + GoStrings.quote(namespace)
                + " uri=" + GoStrings.quote(requestURI) + " response=\"" + response + "\"\n";
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
