package io.kubeaudit.node.sim;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/** {@code --audit-log-path=-}: events go to stdout, which the kubelet writes into the container log. */
final class StdoutSink implements AuditSink {

    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

    @Override
    public synchronized void write(byte[] line) throws IOException {
        out.write(line);
    }

    @Override
    public void close() {
        // stdout belongs to the process; it closes when the process exits.
    }
}
