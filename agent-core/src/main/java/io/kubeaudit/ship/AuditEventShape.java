package io.kubeaudit.ship;

import io.kubeaudit.ship.sink.AuditFields;
import java.nio.charset.StandardCharsets;

/**
 * "Is this JSON object an audit Event?" on the reader thread, for every line: a kind of {@code Event}
 * and an auditID. The API server writes {@code kind, apiVersion, level, auditID} first, in that order,
 * so the fast path matches those few bytes; any other layout (a re-serialised capture) is parsed.
 * Other JSON objects are not shipped: they go to {@code invalid.ndjson}.
 */
final class AuditEventShape {

    private static final byte[] HEAD = bytes("{\"kind\":\"Event\",\"apiVersion\":\"");
    private static final byte[] LEVEL = bytes("\",\"level\":\"");
    private static final byte[] AUDIT_ID = bytes("\",\"auditID\":\"");
    /** apiVersion and level values are short ("audit.k8s.io/v1beta1", "RequestResponse"). */
    private static final int MAX_VALUE = 32;

    private AuditEventShape() {
    }

    /** Null when the fields are an audit event's; otherwise why not, for the dead-letter record. */
    static String whyNotAnEvent(AuditFields fields) {
        if (!fields.kind().equals("Event")) {
            return fields.kind().isEmpty() ? "not an audit event: no kind" : "not an audit event: kind " + fields.kind();
        }
        return fields.auditID().isEmpty() ? "not an audit event: no auditID" : null;
    }

    /** {@code {"kind":"Event","apiVersion":"...","level":"...","auditID":"x...}, byte for byte: no parse needed. */
    static boolean isApiServerLayout(byte[] b) {
        int at = expect(b, 0, HEAD);
        at = skipValue(b, at);
        at = expect(b, at, LEVEL);
        at = skipValue(b, at);
        at = expect(b, at, AUDIT_ID);
        return at > 0 && at < b.length && b[at] != '"';
    }

    /** The index after {@code token} when it is at {@code at}; -1 otherwise (or when {@code at} is -1). */
    private static int expect(byte[] b, int at, byte[] token) {
        if (at < 0 || at + token.length > b.length) {
            return -1;
        }
        for (int i = 0; i < token.length; i++) {
            if (b[at + i] != token[i]) {
                return -1;
            }
        }
        return at + token.length;
    }

    /** The index of the quote ending a short plain string value starting at {@code at}; -1 if none is near. */
    private static int skipValue(byte[] b, int at) {
        if (at < 0) {
            return -1;
        }
        int end = Math.min(b.length, at + MAX_VALUE);
        for (int i = at; i < end; i++) {
            if (b[i] == '"') {
                return i;
            }
            if (b[i] == '\\') {
                return -1;
            }
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
