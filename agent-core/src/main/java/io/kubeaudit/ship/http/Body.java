package io.kubeaudit.ship.http;

import java.io.IOException;
import java.io.OutputStream;

/** A request body of known length, written straight to the connection (fixed-length streaming, no copy). */
public interface Body {

    long length();

    /** Writes exactly {@link #length} bytes. */
    void writeTo(OutputStream out) throws IOException;
}
