package io.kubeaudit.ship.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A body compressed before the request, on the sending thread (never the reader), so its length is
 * known and it goes out in fixed-length mode. The level trades CPU for bytes: the README records
 * the measurement behind {@link #LEVEL}.
 */
final class GzipBody implements Body {

    /**
     * Level 1 compressed the real v1.20.2 audit log 9.2x at about 6 CPU-s/GB; the default level 6 gave
     * 12.4x at 16 CPU-s/GB (bench/ship-choices/GzipLevelChoice.java): 2.5x the CPU for a quarter fewer bytes.
     */
    static final int LEVEL = Deflater.BEST_SPEED;

    private final byte[] compressed;
    private final int length;

    private GzipBody(byte[] compressed, int length) {
        this.compressed = compressed;
        this.length = length;
    }

    static GzipBody of(Body plain) throws IOException {
        Buffer out = new Buffer((int) Math.min(Integer.MAX_VALUE - 16, Math.max(1024, plain.length() / 6)));
        try (GZIPOutputStream gz = new LeveledGzip(out, LEVEL)) {
            plain.writeTo(gz);
        }
        return new GzipBody(out.array(), out.size());
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(compressed, 0, length);
    }

    /** ByteArrayOutputStream that hands out its array instead of copying it. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }

    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }
}
