package io.kubeaudit.ship;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.NoFollowFiles;
import io.kubeaudit.node.PrivateDirectory;
import io.kubeaudit.tail.LogLine;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;

/**
 * {@code <stateDir>/dead-letter/<destination>.ndjson}: events a destination refused for good, and
 * ({@code invalid.ndjson}) lines that are not JSON objects. One JSON record per event with the reason,
 * the source file and offset, the destination's answer, and the raw line, so it can be inspected and
 * replayed. The file is private (0600): it holds audit data. Created on the first record.
 *
 * <p>Every write is whole or nothing: the records are appended and synced, and when that fails (a full
 * disk, an I/O error) the file is cut back to its last good length before the error goes to the caller,
 * who then does not acknowledge the events (they are written again later). A torn tail left by a kill
 * or a power loss in the middle of a write (never acknowledged either) is cut off at the next start, so
 * no run appends after half a record.
 */
final class DeadLetterFile implements AutoCloseable {

    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private static final int TAIL_SCAN = 64 * 1024;

    /**
     * One dead event: where it was in the log, its bytes (all of them, or the head of a line too long
     * to hold), why, and (for a refused batch) what the destination answered.
     */
    record Entry(String path, long offset, long endOffset, byte[] bytes, String reason, String response) {

        static Entry of(LogLine line, String reason, String response) {
            return new Entry(line.path(), line.offset(), line.endOffset(), line.bytes(), reason, response);
        }
    }

    private final Path file;
    private final String destination;
    private final InstantSource clock;
    private final Log log;
    // Guarded by this.
    private FileChannel channel;
    /** The end of the last record written whole; -1 while the tail may be torn (a cut back that failed too). */
    private long goodLength;

    DeadLetterFile(Path file, String destination, InstantSource clock, Log log) {
        this.file = file;
        this.destination = destination;
        this.clock = clock;
        this.log = log;
    }

    /** Opens an existing file now, cutting off a torn record a killed run left at its end; a missing one waits for its first record. */
    synchronized void openExisting() throws IOException {
        if (channel == null && NoFollowFiles.exists(file)) {
            open();
        }
    }

    /** Appends the records and syncs them to disk: the caller acknowledges the events right after. */
    synchronized void write(List<Entry> entries) throws IOException {
        if (channel == null) {
            open();
        } else if (goodLength < 0) {
            cutTornTail();
        }
        String time = clock.instant().toString();
        channel.position(goodLength);
        // Buffered so JSON's small writes are not one system call each; never closed (that would close the channel).
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        try {
            for (Entry e : entries) {
                try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                    g.writeStartObject();
                    g.writeStringField("time", time);
                    g.writeStringField("destination", destination);
                    g.writeStringField("reason", e.reason());
                    g.writeStringField("file", e.path());
                    g.writeNumberField("offset", e.offset());
                    g.writeNumberField("endOffset", e.endOffset());
                    if (e.response() != null && !e.response().isEmpty()) {
                        g.writeStringField("response", e.response());
                    }
                    writeLine(g, e.bytes());
                    g.writeEndObject();
                }
                out.write('\n');
            }
            out.flush();
            channel.force(false);
        } catch (IOException e) {
            cutBack(e);
            throw e;
        }
        goodLength = channel.position();
    }

    /** A failed write may have left part of its records: cut back to the last whole one. */
    private void cutBack(IOException cause) {
        try {
            channel.truncate(goodLength);
            channel.force(false);
        } catch (IOException again) {
            cause.addSuppressed(again);
            goodLength = -1;
        }
    }

    private void cutTornTail() throws IOException {
        long size = channel.size();
        long end = lastRecordEnd(size);
        if (end < size) {
            channel.truncate(end);
            channel.force(false);
            log.warn("ship", "cut off a torn dead-letter record", "file", file, "bytes", size - end,
                    "cause", "a write was interrupted (kill, full disk, power loss) before its events were acknowledged;"
                            + " they are written again");
        }
        goodLength = end;
    }

    /** Where the last newline-terminated record ends: scanned backwards from the end, a block at a time. */
    private long lastRecordEnd(long size) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(TAIL_SCAN);
        long blockEnd = size;
        while (blockEnd > 0) {
            long start = Math.max(0, blockEnd - TAIL_SCAN);
            block.clear().limit((int) (blockEnd - start));
            while (block.hasRemaining()) {
                if (channel.read(block, start + block.position()) < 0) {
                    throw new IOException(file + " shrank while its end was being checked");
                }
            }
            for (int i = block.limit() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            blockEnd = start;
        }
        return 0;
    }

    /** The line as text when it is valid UTF-8, otherwise base64 so no byte is lost. */
    private static void writeLine(JsonGenerator g, byte[] bytes) throws IOException {
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            g.writeStringField("line", text.toString());
        } catch (CharacterCodingException notUtf8) {
            g.writeStringField("lineBase64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    private void open() throws IOException {
        PrivateDirectory.ensure(file.getParent());
        channel = NoFollowFiles.openReadWrite(file, AtomicFileWriter.OWNER_READ_WRITE);
        cutTornTail();
    }

    Path path() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
