package io.kubeaudit.ship.webhook;

import io.kubeaudit.ship.http.Body;
import io.kubeaudit.ship.sink.SinkBatch;
import io.kubeaudit.ship.sink.SinkEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A batch as the kube-apiserver's webhook backend sends it: an {@code audit.k8s.io/v1 EventList}
 * whose items are the events' own bytes (annotations spliced in), never re-serialised.
 */
final class EventListBody implements Body {

    private static final byte[] HEAD = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

    private final SinkBatch batch;

    EventListBody(SinkBatch batch) {
        this.batch = batch;
    }

    @Override
    public long length() {
        return HEAD.length + batch.bytes() + (batch.size() - 1) + TAIL.length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(HEAD);
        boolean first = true;
        for (SinkEvent e : batch.events()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            e.writeTo(out);
        }
        out.write(TAIL);
    }
}
