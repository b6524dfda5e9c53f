package io.kubeaudit.tail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the API server's compressed backups. It writes {@code <backup>.gz} in place, not through a
 * temp file, so a {@code .gz} may be half written: it is only read once it decodes completely,
 * gzip trailer (CRC and length) included.
 */
final class GzipContent {

    private static final int INPUT_BUFFER_BYTES = 64 * 1024;

    /** What decoding a whole {@code .gz} found. */
    sealed interface Inspection permits Complete, Incomplete, Corrupt {
    }

    /** Decodes to the end, trailer verified: {@code size} bytes decompressed. */
    record Complete(long size, Optional<byte[]> prefix) implements Inspection {
    }

    /** Ends early: still being written (or the writer died). */
    record Incomplete(long compressedSize) implements Inspection {
    }

    /** Not gzip, or the data does not match its CRC. */
    record Corrupt(String problem) implements Inspection {
    }

    private GzipContent() {
    }

    static Inspection inspect(FileChannel channel) throws IOException {
        long compressedSize = channel.size();
        byte[] head = new byte[Fingerprint.BYTES];
        byte[] scratch = new byte[INPUT_BUFFER_BYTES];
        try (InputStream in = open(channel)) {
            int headLength = in.readNBytes(head, 0, head.length);
            long size = headLength;
            for (int n; (n = in.read(scratch)) > 0; ) {
                size += n;
            }
            return new Complete(size, Fingerprint.prefixOf(head, headLength));
        } catch (EOFException e) {
            return new Incomplete(compressedSize);
        } catch (ZipException e) {
            return new Corrupt(e.getMessage());
        }
    }

    /** The identity prefix of the decompressed content, when enough of it decodes already. */
    static Optional<byte[]> prefixOf(FileChannel channel) throws IOException {
        byte[] head = new byte[Fingerprint.BYTES];
        int length = 0;
        try (InputStream in = open(channel)) {
            for (int n; length < head.length && (n = in.read(head, length, head.length - length)) > 0; ) {
                length += n;
            }
        } catch (EOFException | ZipException e) {
            // Not decodable (yet) beyond this point: the prefix is what decoded, if it is enough.
            return Fingerprint.prefixOf(head, length);
        }
        return Fingerprint.prefixOf(head, length);
    }

    /** The decompressed stream from its start. */
    static InputStream open(FileChannel channel) throws IOException {
        return new GZIPInputStream(new ChannelInputStream(channel), INPUT_BUFFER_BYTES);
    }
}
