package io.kubeaudit.node.sim;

import com.fasterxml.jackson.databind.JsonNode;
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
        final RequestAttributes request;
        final String auditID;
        final String requestURI;
        final String sourceIP;
        final String userAgent;
        final JsonNode requestObject;
        final Instant received;
        final AuditPolicy.Decision decision;
        private int written;

        private Exchange(RequestAttributes request, String requestURI, String sourceIP, String userAgent,
                         JsonNode requestObject, Instant received, AuditPolicy.Decision decision) {
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

    private final Optional<AuditPolicy> policy;
    private final Optional<Backend> backend;
    private final InstantSource clock;
    private final Consumer<String> errorLog;

    Auditor(Optional<AuditPolicy> policy, Optional<Backend> backend, InstantSource clock, Consumer<String> errorLog) {
        this.policy = policy;
        this.backend = backend;
        this.clock = clock;
        this.errorLog = errorLog;
    }

    Exchange begin(RequestAttributes request, String requestURI, String sourceIP, String userAgent, JsonNode requestObject) {
        AuditPolicy.Decision decision = policy.isPresent() && backend.isPresent()
                ? policy.get().decide(request) : AuditPolicy.Decision.NONE;
        Exchange ex = new Exchange(request, requestURI, sourceIP, userAgent, requestObject, clock.instant(), decision);
        emit(ex, "RequestReceived", null, null, Map.of());
        return ex;
    }

    void complete(Exchange ex, AuditEvent.Status status, JsonNode responseObject, Map<String, String> annotations) {
        emit(ex, "ResponseComplete", status, responseObject, annotations);
    }

    /** A request rejected by authentication is recorded once, at ResponseStarted, without a user. */
    void authenticationFailed(Exchange ex, AuditEvent.Status status) {
        emit(ex, "ResponseStarted", status, null, Map.of());
    }

    private void emit(Exchange ex, String stage, AuditEvent.Status status, JsonNode responseObject,
                      Map<String, String> annotations) {
        if (backend.isEmpty() || !ex.decision.records(stage)) {
            return;
        }
        AuditLevel level = ex.decision.level();
        AuditEvent event = new AuditEvent(level, ex.auditID, stage, ex.requestURI, ex.request, List.of(ex.sourceIP),
                ex.userAgent, status, level.atLeast(AuditLevel.Request) ? ex.requestObject : null,
                level.atLeast(AuditLevel.RequestResponse) ? responseObject : null, ex.received,
                stage.equals("RequestReceived") ? ex.received : clock.instant(), annotations);
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

    @Override
    public void close() {
        backend.ifPresent(b -> b.sink().close());
    }
}
