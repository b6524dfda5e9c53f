package io.kubeaudit.query;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The matched events' own bytes, unchanged: one per line ({@code ndjson}) or as one JSON array ({@code json}). */
public final class RawOutput implements EventOutput {

    private final OutputStream out;
    private final boolean array;
    private boolean first = true;

    private RawOutput(OutputStream out, boolean array) {
        this.out = out;
        this.array = array;
    }

    public static RawOutput ndjson(OutputStream out) {
        return new RawOutput(out, false);
    }

    public static RawOutput jsonArray(OutputStream out) {
        return new RawOutput(out, true);
    }

    @Override
    public void event(MatchedEvent event) throws IOException {
        if (array) {
            out.write(first ? '[' : ',');
            out.write('\n');
        }
        first = false;
        out.write(event.bytes(), event.start(), event.end() - event.start());
        if (!array) {
            out.write('\n');
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        if (array) {
            out.write((first ? "[]\n" : "\n]\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
    }
}
