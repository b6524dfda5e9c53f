package io.kubeaudit.sim;

import java.io.IOException;

/** Where the log backend's formatted lines go: a rotating file, or stdout for {@code --audit-log-path=-}. */
interface AuditSink extends AutoCloseable {

    /** One write per event, as the real backend does (so a rotation never splits an event). */
    void write(byte[] line) throws IOException;

    @Override
    void close();
}
