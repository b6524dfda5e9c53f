package io.kubeaudit.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A container log in the CRI format containerd writes under /var/log/pods:
 * {@code <RFC3339Nano time> <stdout|stderr> <F|P> <content>}, one line per output line, lines longer than
 * 16 KiB split into partial ({@code P}) records ending with a full ({@code F}) one. Go's RFC3339Nano drops
 * trailing zeros of the fraction; so does this.
 */
final class CriLogWriter implements AutoCloseable {

    static final int MAX_RECORD = 16 * 1024;

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final OutputStream out;
    private final InstantSource clock;

    CriLogWriter(Path file, InstantSource clock) throws IOException {
        Files.createDirectories(file.getParent());
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        this.clock = clock;
    }

    /** Writes one line of output (without its newline) from the given stream, "stdout" or "stderr". */
    synchronized void line(String stream, byte[] content) throws IOException {
        int off = 0;
        do {
            int n = Math.min(MAX_RECORD, content.length - off);
            boolean last = off + n >= content.length;
            String head = timestamp(clock.instant()) + " " + stream + (last ? " F " : " P ");
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(content, off, n);
            out.write('\n');
            off += n;
        } while (off < content.length);
        out.flush();
    }

    static String timestamp(Instant t) {
        String nanos = String.format("%09d", t.getNano()).replaceFirst("0+$", "");
        return SECONDS.format(t) + (nanos.isEmpty() ? "" : "." + nanos) + "Z";
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
