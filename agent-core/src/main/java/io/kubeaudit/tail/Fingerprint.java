package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Content identity of a log file: the first line including its newline, or the first
 * {@value #BYTES} bytes when the first line is longer. Files only grow, so once there the prefix
 * never changes until the file is truncated or replaced; a file shorter than that whose first line
 * is incomplete has no identity yet (no line of it can have been handed on).
 */
final class Fingerprint {

    /** Long enough to cover an audit event's auditID and timestamps, short enough to read on every check. */
    static final int BYTES = 1024;

    private Fingerprint() {
    }

    /** The identity prefix of a file that starts with {@code head[0..length)}, or empty when not there yet. */
    static Optional<byte[]> prefixOf(byte[] head, int length) {
        int newline = ByteSearch.indexOf(head, (byte) '\n', 0, Math.min(length, BYTES));
        if (newline >= 0) {
            return Optional.of(Arrays.copyOf(head, newline + 1));
        }
        return length >= BYTES ? Optional.of(Arrays.copyOf(head, BYTES)) : Optional.empty();
    }

    /** The identity prefix of the file behind {@code channel}, read at absolute positions (the channel position is untouched). */
    static Optional<byte[]> prefixOf(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(BYTES);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) <= 0) {
                break;
            }
        }
        return prefixOf(buffer.array(), buffer.position());
    }

    static String hash(byte[] prefix) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(prefix);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
