package io.kubeaudit.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The fields of one audit event (audit.k8s.io v1 or v1beta1) that queries filter on and print; the
 * request and response bodies are not kept, only where they are in the line ({@link Bodies}). Absent
 * strings are "", as in the API server's own Go structs (the core API group, a cluster-scoped object).
 *
 * @param time the v1 {@code requestReceivedTimestamp}, else the v1beta1 {@code timestamp}, else "" (raw text)
 */
public record AuditEvent(String apiVersion, String level, String auditId, String stage, String requestUri, String verb,
                         User user, Optional<User> impersonatedUser, List<String> sourceIps, String userAgent,
                         Optional<ObjectRef> objectRef, Optional<ResponseStatus> responseStatus, String time,
                         String stageTime, Map<String, String> annotations, Bodies bodies) {

    public AuditEvent {
        Objects.requireNonNull(user, "user");
        sourceIps = List.copyOf(sourceIps);
        annotations = Map.copyOf(annotations);
        Objects.requireNonNull(bodies, "bodies");
    }

    /** Who made the request: the authenticated user, or the one it impersonated ({@code impersonatedUser}). */
    public record User(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
        public User {
            groups = List.copyOf(groups);
            extra = Map.copyOf(extra);
        }

        static final User NONE = new User("", "", List.of(), Map.of());
    }

    public record ObjectRef(String resource, String namespace, String name, String uid, String apiGroup, String apiVersion,
                            String resourceVersion, String subresource) {

        /** {@code pods/exec}, or just {@code pods}. */
        public String resourcePath() {
            return subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    /**
     * @param code    the HTTP status code, 0 when the event has none (RequestReceived)
     * @param message responseStatus.message, else that of a Status response body (what a failure says)
     */
    public record ResponseStatus(int code, String status, String reason, String message) {
    }

    /**
     * The bytes the bodies take in the line: each member's key, value and one separating comma (0 when
     * absent), and the bytes of {@code metadata.managedFields} inside them (counted only when asked
     * for: the policy simulation).
     */
    public record Bodies(int requestBytes, int requestManagedFieldsBytes, int responseBytes, int responseManagedFieldsBytes) {

        static final Bodies NONE = new Bodies(0, 0, 0, 0);
    }

    /** The instant of {@link #time()}, when it has one that parses. */
    public Optional<Instant> receivedAt() {
        return instant(time);
    }

    public Optional<Instant> stageAt() {
        return instant(stageTime);
    }

    public int code() {
        return responseStatus.map(ResponseStatus::code).orElse(0);
    }

    /** Usernames the request can be found by: the authenticated user and the impersonated one. */
    public Stream<String> usernames() {
        return Stream.concat(Stream.of(user.username()), impersonatedUser.map(User::username).stream());
    }

    public Stream<String> groups() {
        return Stream.concat(user.groups().stream(), impersonatedUser.stream().flatMap(u -> u.groups().stream()));
    }

    /** A request for a resource (it has an {@code objectRef} naming one), as opposed to {@code /healthz} and the like. */
    public boolean isResourceRequest() {
        return objectRef.isPresent() && !objectRef.get().resource().isEmpty();
    }

    private static Optional<Instant> instant(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
