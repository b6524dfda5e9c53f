package io.kubeaudit.query;

import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.AuditStage;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The event fields queries filter and count by, each with the syntax of its values. A field can have
 * several values in one event (groups, source IPs, the user and the impersonated user) and none
 * (no objectRef on a request for {@code /healthz}).
 */
public enum Field {
    /** The authenticated user and, for impersonated requests, the user acted as: findable by either. */
    USER("user", AuditEvent::usernames),
    /** Groups of the user and of the impersonated user. */
    GROUP("group", AuditEvent::groups),
    VERB("verb", e -> Stream.of(e.verb())),
    /** {@code resource} or {@code resource/subresource}, matched as audit policies do. */
    RESOURCE("resource", e -> e.isResourceRequest() ? Stream.of(e.objectRef().get().resourcePath()) : Stream.empty()),
    /** "" for the core group, which the option also takes as {@code core}. */
    API_GROUP("api-group", e -> e.isResourceRequest() ? Stream.of(e.objectRef().get().apiGroup()) : Stream.empty()),
    NAMESPACE("namespace", e -> e.objectRef().map(AuditEvent.ObjectRef::namespace).stream()),
    NAME("name", e -> e.objectRef().map(AuditEvent.ObjectRef::name).stream()),
    SOURCE_IP("source-ip", e -> e.sourceIps().stream()),
    USER_AGENT("user-agent", e -> Stream.of(e.userAgent())),
    STATUS("status", e -> e.responseStatus().filter(s -> s.code() > 0).map(s -> String.valueOf(s.code())).stream()),
    LEVEL("level", e -> Stream.of(e.level())),
    STAGE("stage", e -> Stream.of(e.stage())),
    AUDIT_ID("audit-id", e -> Stream.of(e.auditId()));

    private final String option;
    private final Function<AuditEvent, Stream<String>> values;

    Field(String option, Function<AuditEvent, Stream<String>> values) {
        this.option = option;
        this.values = values;
    }

    /** The option's name without dashes, as in {@code --source-ip}; also the name {@code --count-by} takes. */
    public String option() {
        return option;
    }

    public Stream<String> values(AuditEvent event) {
        return values.apply(event);
    }

    public static Optional<Field> byOption(String name) {
        return Arrays.stream(values()).filter(f -> f.option.equals(name)).findFirst();
    }

    /** User agents hold commas and spaces of their own; every other field's option splits values at commas. */
    boolean splitsAtCommas() {
        return this != USER_AGENT;
    }

    ValueMatcher parse(String value) throws InvalidFilterException {
        return switch (this) {
            case RESOURCE -> ValueMatcher.Resource.parse(value);
            case STATUS -> ValueMatcher.Status.parse(value);
            case SOURCE_IP -> ValueMatcher.Address.parse(value);
            case API_GROUP -> new ValueMatcher.Text(new Glob(value.equals("core") ? "" : value));
            case LEVEL -> new ValueMatcher.Text(new Glob(wireName(value, Arrays.stream(AuditLevel.values()).map(AuditLevel::wireName))));
            case STAGE -> new ValueMatcher.Text(new Glob(wireName(value, Arrays.stream(AuditStage.values()).map(AuditStage::wireName))));
            default -> new ValueMatcher.Text(new Glob(value));
        };
    }

    /** Levels and stages as the server writes them, whatever the case typed. */
    private String wireName(String value, Stream<String> names) throws InvalidFilterException {
        String[] all = names.toArray(String[]::new);
        for (String name : all) {
            if (name.equalsIgnoreCase(value)) {
                return name;
            }
        }
        throw new InvalidFilterException(option + " \"" + value + "\" is not one of " + String.join(", ", all));
    }

    @Override
    public String toString() {
        return option;
    }
}
