package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The audit pipeline shared by real HTTP requests and generated traffic: decide the level with the policy,
 * write RequestReceived when the request arrives and ResponseComplete (or ResponseStarted for a failed
 * authentication) when it is answered, each stage one line, unless the policy omits it. Without a policy or
 * without a log backend nothing is recorded, as on the real server.
 */
final class Auditor implements AutoCloseable {

    /** The log backend: a line format and where lines go. */
    record Backend(String format, AuditSink sink) {
    }

    /** One request between arrival and answer. */
    static final class Exchange {
        final RequestInfo request;
        final String auditID;
        final String requestURI;
        final String sourceIP;
        final String userAgent;
        final JsonNode requestObject;
        final Instant received;
        final ServerPolicy.Decision decision;
        private int written;

        private Exchange(RequestInfo request, String requestURI, String sourceIP, String userAgent,
                         JsonNode requestObject, Instant received, ServerPolicy.Decision decision) {
            this.request = request;
            this.auditID = UUID.randomUUID().toString();
            this.requestURI = requestURI;
            this.sourceIP = sourceIP;
            this.userAgent = userAgent;
            this.requestObject = requestObject;
            this.received = received;
            this.decision = decision;
        }

        /** How many event lines this request put into the log. */
        int eventsWritten() {
            return written;
        }
    }

    private final Optional<ServerPolicy> policy;
    private final Optional<Backend> backend;
    private final InstantSource clock;
    private final Consumer<String> errorLog;

    Auditor(Optional<ServerPolicy> policy, Optional<Backend> backend, InstantSource clock, Consumer<String> errorLog) {
        this.policy = policy;
        this.backend = backend;
        this.clock = clock;
        this.errorLog = errorLog;
    }

    Exchange begin(RequestInfo request, String requestURI, String sourceIP, String userAgent, JsonNode requestObject) {
        ServerPolicy.Decision decision = policy.isPresent() && backend.isPresent()
                ? policy.get().evaluate(request) : ServerPolicy.Decision.NOTHING;
        Exchange ex = new Exchange(request, requestURI, sourceIP, userAgent, requestObject, clock.instant(), decision);
        emit(ex, ServerPolicy.Stage.REQUEST_RECEIVED, null, null, Map.of());
        return ex;
    }

    void complete(Exchange ex, AuditEvent.Status status, JsonNode responseObject, Map<String, String> annotations) {
        emit(ex, ServerPolicy.Stage.RESPONSE_COMPLETE, status, responseObject, annotations);
    }

    /** A request rejected by authentication is recorded once, at ResponseStarted, without a user. */
    void authenticationFailed(Exchange ex, AuditEvent.Status status) {
        emit(ex, ServerPolicy.Stage.RESPONSE_STARTED, status, null, Map.of());
    }

    private void emit(Exchange ex, ServerPolicy.Stage stage, AuditEvent.Status status, JsonNode responseObject,
                      Map<String, String> annotations) {
        if (backend.isEmpty() || ex.decision.level() == ServerPolicy.Level.NONE || ex.decision.omitStages().contains(stage)) {
            return;
        }
        ServerPolicy.Level level = ex.decision.level();
        AuditEvent event = new AuditEvent(level, ex.auditID, stage, ex.requestURI, ex.request, List.of(ex.sourceIP),
                ex.userAgent, status, level.atLeast(ServerPolicy.Level.REQUEST) ? logged(ex.requestObject, ex.decision) : null,
                level == ServerPolicy.Level.REQUEST_RESPONSE ? logged(responseObject, ex.decision) : null, ex.received,
                stage == ServerPolicy.Stage.REQUEST_RECEIVED ? ex.received : clock.instant(), annotations);
        Backend b = backend.get();
        byte[] line = b.format().equals("legacy") ? event.toLegacyLine().getBytes(StandardCharsets.UTF_8)
                : GoJson.line(event.toJson());
        try {
            b.sink().write(line);
            ex.written++;
        } catch (IOException e) {
            // The default "blocking" mode drops the event and logs; the request itself still succeeds.
            errorLog.accept("Error in audit plugin 'log' affecting 1 audit events: " + e.getMessage()
                    + "\nImpacted events:\n" + event.toLegacyLine().stripTrailing());
        }
    }

    /** With omitManagedFields, the logged copy of an object leaves out metadata.managedFields (the object itself is untouched). */
    private static JsonNode logged(JsonNode object, ServerPolicy.Decision decision) {
        if (object == null || !decision.omitManagedFields() || !object.path("metadata").has("managedFields")) {
            return object;
        }
        JsonNode copy = object.deepCopy();
        ((ObjectNode) copy.get("metadata")).remove("managedFields");
        return copy;
    }

    @Override
    public void close() {
        backend.ifPresent(b -> b.sink().close());
    }
}
