package io.kubeaudit.policy;

import java.util.Arrays;
import java.util.Optional;

/** How much of a request the API server records, in increasing order of detail. */
public enum AuditLevel {
    NONE("None"),
    METADATA("Metadata"),
    REQUEST("Request"),
    REQUEST_RESPONSE("RequestResponse");

    private final String wireName;

    AuditLevel(String wireName) {
        this.wireName = wireName;
    }

    /** The name as written in a policy; matched case-sensitively, as the API server does. */
    public String wireName() {
        return wireName;
    }

    public static Optional<AuditLevel> parse(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
