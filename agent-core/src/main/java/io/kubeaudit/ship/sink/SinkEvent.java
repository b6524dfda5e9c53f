package io.kubeaudit.ship.sink;

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

    /** The event as one array, for clients that take records rather than streams; written once, into its own size. */
    default byte[] toByteArray() {
        byte[] bytes = new byte[length()];
        OutputStream into = new OutputStream() {
            private int at;

            @Override
            public void write(int b) {
                bytes[at++] = (byte) b;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                System.arraycopy(b, off, bytes, at, len);
                at += len;
            }
        };
        try {
            writeTo(into);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalStateException("the event wrote more than its length() of " + bytes.length + " bytes", e);
        }
        return bytes;
    }
}
