package io.kubeaudit.tail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a log the way the API server's logger (natefinch/lumberjack) does: append whole lines;
 * before a write that would pass the max size, close the file, rename it to
 * {@code audit-<UTC 2006-01-02T15-04-05.000>.log} and create a new one (O_TRUNC); then, as its
 * "mill", optionally write {@code <backup>.gz} in place and delete the plain backup, and delete
 * backups beyond the maximum. Backup timestamps come from a counter, one second per rotation.
 */
final class Lumberjack implements AutoCloseable {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);

    final Path dir;
    final Path log;
    private final long maxSize;
    boolean compress;
    int maxBackups;
    private FileChannel out;
    /** Rotations so far: which file a line went to. */
    int rotations;
    private long size;
    private Instant nextStamp = Instant.parse("2026-01-01T00:00:00Z");

    Lumberjack(Path dir, long maxSize) throws IOException {
        this.dir = dir;
        this.log = dir.resolve("audit.log");
        this.maxSize = maxSize;
        this.out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.size = out.size();
    }

    /** Writes one line (a newline is added), rotating first when it would not fit. */
    void write(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        makeRoomFor(bytes.length);
        writeRaw(bytes);
    }

    /** Rotates when {@code bytes} more would pass the max size, as before every write. */
    void makeRoomFor(int bytes) throws IOException {
        if (size > 0 && size + bytes > maxSize) {
            rotate();
        }
    }

    void writeRaw(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        size += bytes.length;
    }

    void writeRaw(String text) throws IOException {
        writeRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Rotation and the mill; returns the backup's final path (the .gz when compressing). */
    Path rotate() throws IOException {
        Path backup = renameAndReopen();
        Path result = compress ? compress(backup) : backup;
        removeOldBackups();
        return result;
    }

    /** Just the rotation, no mill: returns the plain backup. */
    Path renameAndReopen() throws IOException {
        rotations++;
        out.close();
        Path backup = dir.resolve("audit-" + STAMP.format(nextStamp) + ".log");
        nextStamp = nextStamp.plusSeconds(1);
        Files.move(log, backup);
        out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = 0;
        return backup;
    }

    /** Writes {@code backup.gz} in place (no temp file), then deletes the plain backup. */
    static Path compress(Path backup) throws IOException {
        Path gz = backup.resolveSibling(backup.getFileName() + ".gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz, StandardOpenOption.CREATE_NEW))) {
            Files.copy(backup, o);
        }
        Files.delete(backup);
        return gz;
    }

    /** What a compressor killed midway leaves: the first {@code keep} bytes of the gzip, no trailer. */
    static Path compressPartially(Path backup, int keep) throws IOException {
        Path gz = backup.resolveSibling(backup.getFileName() + ".gz");
        byte[] whole = gzip(Files.readAllBytes(backup));
        Files.write(gz, java.util.Arrays.copyOf(whole, Math.min(keep, whole.length - 8)));
        return gz;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(buffer)) {
            o.write(bytes);
        }
        return buffer.toByteArray();
    }

    /** Backups oldest first (plain and compressed). */
    List<Path> backups() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("audit-")).sorted().toList();
        }
    }

    private void removeOldBackups() throws IOException {
        if (maxBackups <= 0) {
            return;
        }
        List<Path> all = new ArrayList<>(backups());
        while (all.size() > maxBackups) {
            Files.delete(all.remove(0));
        }
    }

    long size() {
        return size;
    }

    /** Truncates the live log in place, as copy-truncate does after its copy. */
    void truncate() throws IOException {
        out.truncate(0);
        size = 0;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
