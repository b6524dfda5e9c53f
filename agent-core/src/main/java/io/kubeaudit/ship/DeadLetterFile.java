package io.kubeaudit.ship;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.kubeaudit.node.AtomicFileWriter;
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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * {@code <stateDir>/dead-letter/<destination>.ndjson}: events a destination refused for good, and
 * ({@code invalid.ndjson}) lines that are not JSON objects. One JSON record per event with the reason,
 * the source file and offset, the destination's answer, and the raw line, so it can be inspected and
 * replayed. The file is private (0600): it holds audit data. Created on the first record.
 */
final class DeadLetterFile implements AutoCloseable {

    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

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
    // Guarded by this.
    private FileChannel channel;
    private OutputStream out;

    DeadLetterFile(Path file, String destination, InstantSource clock) {
        this.file = file;
        this.destination = destination;
        this.clock = clock;
    }

    /** Appends the records and syncs them to disk: the caller acknowledges the events right after. */
    synchronized void write(List<Entry> entries) throws IOException {
        if (out == null) {
            open();
        }
        String time = clock.instant().toString();
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
        AtomicFileWriter.createPrivateDirectory(file.getParent());
        channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                PosixFilePermissions.asFileAttribute(AtomicFileWriter.OWNER_READ_WRITE));
        out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    }

    Path path() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
            channel = null;
        }
    }
}
