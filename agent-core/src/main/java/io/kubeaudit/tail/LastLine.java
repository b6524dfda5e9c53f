package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Where "the end" of a live log is: after its last newline, so a line being written is read whole. */
final class LastLine {

    private static final int CHUNK_BYTES = 64 * 1024;

    private LastLine() {
    }

    /** Offset just after the last newline of the file behind {@code channel}; 0 without one. */
    static long endOfLastCompleteLine(FileChannel channel) throws IOException {
        byte[] bytes = new byte[CHUNK_BYTES];
        long end = channel.size();
        while (end > 0) {
            int length = (int) Math.min(CHUNK_BYTES, end);
            long start = end - length;
            int read = readFully(channel, bytes, length, start);
            for (int i = read - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    private static int readFully(FileChannel channel, byte[] bytes, int length, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) <= 0) {
                break;
            }
        }
        return buffer.position();
    }
}
