package io.kubeaudit.sim;

import java.io.IOException;
import java.io.PrintStream;

/** {@code --audit-log-path=-}: events go to stdout, which the kubelet writes into the container log. */
final class StdoutSink implements AuditSink {

    private final PrintStream out;

    StdoutSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void write(byte[] line) throws IOException {
        out.write(line);
        out.flush();
        if (out.checkError()) {
            throw new IOException("write /dev/stdout: the container's output is closed");
        }
    }

    @Override
    public void close() {
        // stdout belongs to the process; it closes when the process exits.
    }
}
