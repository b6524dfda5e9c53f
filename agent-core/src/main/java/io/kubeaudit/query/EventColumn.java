package io.kubeaudit.query;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** One value of an event as people read it: the table's columns and what {@code --count-by} groups by. */
public enum EventColumn {
    TIME("time", e -> e.receivedAt().map(EventColumn::millis).orElse(e.time())),
    /** The user, and whom they acted as: {@code admin as bob}. */
    USER("user", e -> e.user().username() + e.impersonatedUser().map(u -> " as " + u.username()).orElse("")),
    VERB("verb", AuditEvent::verb),
    /** {@code pods}, {@code deployments.apps}, {@code pods/exec}; a non-resource request's path ({@code /healthz}). */
    RESOURCE("resource", EventColumn::resource),
    API_GROUP("api-group", e -> e.objectRef().map(AuditEvent.ObjectRef::apiGroup).orElse("")),
    NAMESPACE("namespace", e -> e.objectRef().map(AuditEvent.ObjectRef::namespace).orElse("")),
    NAME("name", e -> e.objectRef().map(AuditEvent.ObjectRef::name).orElse("")),
    /** {@code namespace/name}, or whichever of the two there is. */
    OBJECT("namespace/name", EventColumn::object),
    CODE("code", e -> e.code() > 0 ? String.valueOf(e.code()) : "-"),
    /** The first address; {@code +N} more when the request passed through proxies. */
    SOURCE_IP("source-ip", e -> e.sourceIps().isEmpty() ? "" : e.sourceIps().get(0)
            + (e.sourceIps().size() > 1 ? " +" + (e.sourceIps().size() - 1) : "")),
    /** Up to the first space: {@code kubectl/v1.32.4}. */
    USER_AGENT("user-agent", e -> e.userAgent().contains(" ") ? e.userAgent().substring(0, e.userAgent().indexOf(' ')) : e.userAgent()),
    LEVEL("level", AuditEvent::level),
    STAGE("stage", AuditEvent::stage),
    /** The authorizer's answer ({@code allow}, {@code forbid}), from the event's annotations. */
    DECISION("decision", e -> e.annotations().getOrDefault("authorization.k8s.io/decision", "")),
    HOUR("hour", e -> e.receivedAt().map(t -> bucket(t, ChronoUnit.HOURS, "yyyy-MM-dd'T'HH':00Z'")).orElse("")),
    DAY("day", e -> e.receivedAt().map(t -> bucket(t, ChronoUnit.DAYS, "yyyy-MM-dd")).orElse(""));

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final String key;
    private final Function<AuditEvent, String> value;

    EventColumn(String key, Function<AuditEvent, String> value) {
        this.key = key;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public String valueOf(AuditEvent event) {
        return value.apply(event);
    }

    public static Optional<EventColumn> byKey(String key) {
        return Arrays.stream(values()).filter(c -> c.key.equals(key) || c == CODE && key.equals("status")).findFirst();
    }

    private static String millis(Instant t) {
        return MILLIS.format(t);
    }

    private static String bucket(Instant t, ChronoUnit unit, String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC).format(t.truncatedTo(unit));
    }

    private static String resource(AuditEvent e) {
        if (!e.isResourceRequest()) {
            int query = e.requestUri().indexOf('?');
            return query < 0 ? e.requestUri() : e.requestUri().substring(0, query);
        }
        AuditEvent.ObjectRef ref = e.objectRef().get();
        return ref.resource() + (ref.apiGroup().isEmpty() ? "" : "." + ref.apiGroup())
                + (ref.subresource().isEmpty() ? "" : "/" + ref.subresource());
    }

    private static String object(AuditEvent e) {
        String ns = NAMESPACE.valueOf(e);
        String name = NAME.valueOf(e);
        return ns.isEmpty() ? name : name.isEmpty() ? ns : ns + "/" + name;
    }
}
