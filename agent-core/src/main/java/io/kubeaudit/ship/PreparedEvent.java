package io.kubeaudit.ship;

import io.kubeaudit.ship.sink.AuditFields;
import io.kubeaudit.ship.sink.SinkEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An event as one destination sends it: the original bytes (or the trimmed copy) written with the
 * agent's annotations spliced in at its {@link Placement}, so nothing is re-serialised.
 *
 * @param trimmed     request and response objects were dropped to fit the destination's limit
 * @param annotations what the agent adds
 * @param length      bytes {@link #writeTo} writes
 */
record PreparedEvent(Event event, Placement placement, boolean trimmed, Annotations annotations, int length) implements SinkEvent {

    private static final byte[] NEW_MEMBER_OPEN = "\"annotations\":{".getBytes(StandardCharsets.US_ASCII);

    static PreparedEvent of(Event event, Placement placement, boolean trimmed, Annotations annotations) {
        return new PreparedEvent(event, placement, trimmed, annotations, length(placement, trimmed, annotations));
    }

    private static int length(Placement placement, boolean trimmed, Annotations annotations) {
        byte[] bytes = placement.bytes();
        byte[] members = annotations.members(trimmed);
        if (members.length == 0 || placement.kind() == Placement.Kind.NONE) {
            return bytes.length;
        }
        return switch (placement.kind()) {
            case INTO_OBJECT -> bytes.length + members.length + (placement.empty() ? 0 : 1);
            case NEW_MEMBER -> bytes.length + (placement.empty() ? 0 : 1) + NEW_MEMBER_OPEN.length + members.length + 1;
            case NONE -> bytes.length;
        };
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        byte[] bytes = placement.bytes();
        byte[] members = annotations.members(trimmed);
        int at = placement.offset();
        if (members.length == 0 || placement.kind() == Placement.Kind.NONE) {
            out.write(bytes);
            return;
        }
        out.write(bytes, 0, at);
        if (placement.kind() == Placement.Kind.INTO_OBJECT) {
            out.write(members);
            if (!placement.empty()) {
                out.write(',');
            }
        } else {
            if (!placement.empty()) {
                out.write(',');
            }
            out.write(NEW_MEMBER_OPEN);
            out.write(members);
            out.write('}');
        }
        out.write(bytes, at, bytes.length - at);
    }

    @Override
    public AuditFields fields() {
        return event.fields();
    }

    long sequence() {
        return event.sequence;
    }
}
