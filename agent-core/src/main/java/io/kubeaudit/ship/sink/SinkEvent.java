package io.kubeaudit.ship.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One audit event as this destination sends it: the line's own bytes, never re-serialised, with the
 * agent's annotations spliced in (and trimmed to the destination's maxEventBytes when it had to be).
 */
public interface SinkEvent {

    /** Bytes {@link #writeTo} writes. */
    int length();

    void writeTo(OutputStream out) throws IOException;

    /** The fields destinations key or route by (auditID, stage, timestamps, ...), read on first use. */
    AuditFields fields();

    /** The event as one array, for clients that take records rather than streams. */
    default byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length());
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
