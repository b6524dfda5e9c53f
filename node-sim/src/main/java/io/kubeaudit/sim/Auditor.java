package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeaudit.policy.AuditDecision;
import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.AuditStage;
import io.kubeaudit.policy.PolicyChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        final AuditDecision decision;
        private int written;

        private Exchange(RequestInfo request, String requestURI, String sourceIP, String userAgent,
                         JsonNode requestObject, Instant received, AuditDecision decision) {
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

    private static final AuditDecision NOTHING = new AuditDecision(AuditLevel.NONE, Set.of(), Optional.empty());

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

    Exchange begin(RequestInfo request, String requestURI, String sourceIP, String userAgent, JsonNode requestObject) {
        AuditDecision decision = policy.isPresent() && backend.isPresent()
                ? PolicyChecker.decide(policy.get(), request.attributes()) : NOTHING;
        Exchange ex = new Exchange(request, requestURI, sourceIP, userAgent, requestObject, clock.instant(), decision);
        emit(ex, AuditStage.REQUEST_RECEIVED, null, null, Map.of());
        return ex;
    }

    void complete(Exchange ex, AuditEvent.Status status, JsonNode responseObject, Map<String, String> annotations) {
        emit(ex, AuditStage.RESPONSE_COMPLETE, status, responseObject, annotations);
    }

    /** A request rejected by authentication is recorded once, at ResponseStarted, without a user. */
    void authenticationFailed(Exchange ex, AuditEvent.Status status) {
        emit(ex, AuditStage.RESPONSE_STARTED, status, null, Map.of());
    }

    private void emit(Exchange ex, AuditStage stage, AuditEvent.Status status, JsonNode responseObject,
                      Map<String, String> annotations) {
        if (backend.isEmpty() || ex.decision.level() == AuditLevel.NONE || ex.decision.omitStages().contains(stage)) {
            return;
        }
        AuditLevel level = ex.decision.level();
        AuditEvent event = new AuditEvent(level, ex.auditID, stage, ex.requestURI, ex.request, List.of(ex.sourceIP),
                ex.userAgent, status, level.compareTo(AuditLevel.REQUEST) >= 0 ? ex.requestObject : null,
                level == AuditLevel.REQUEST_RESPONSE ? responseObject : null, ex.received,
                stage == AuditStage.REQUEST_RECEIVED ? ex.received : clock.instant(), annotations);
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
