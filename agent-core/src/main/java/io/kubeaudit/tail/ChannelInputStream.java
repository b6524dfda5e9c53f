package io.kubeaudit.tail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a file channel from offset 0 at absolute positions: several readers (the gzip check, the
 * reader, the watcher's fingerprinting) can share one held descriptor without moving its position.
 */
final class ChannelInputStream extends InputStream {

    private final FileChannel channel;
    private long position;

    ChannelInputStream(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = channel.read(ByteBuffer.wrap(buffer, offset, length), position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** GZIPInputStream asks this to decide whether another gzip member follows the first one. */
    @Override
    public int available() throws IOException {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, channel.size() - position));
    }
}
