package io.kubeaudit.ship.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * BufferedOutputStream without its lock and over an array the caller keeps: a request body is written
 * by one thread, a few small writes per event, and the lock taken on each of them cost more than the
 * copying; a fresh 256 KiB buffer per request was a sixth of everything the agent allocated.
 */
final class WriteBuffer extends OutputStream {

    private final OutputStream out;
    private final byte[] buffer;
    private int count;

    WriteBuffer(OutputStream out, byte[] buffer) {
        this.out = out;
        this.buffer = buffer;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) {
            drain();
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length >= buffer.length) {
            drain();
            out.write(bytes, offset, length);
            return;
        }
        if (length > buffer.length - count) {
            drain();
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try (out) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }
}
