package io.kubeaudit.tail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.NoFollowFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one place that reads and writes the checkpoint file: where shipping resumes after a restart.
 *
 * <p>Versioned JSON ({@code {"version":1,"file":{"device":..,"inode":..,"fingerprint":".."},
 * "path":"..","offset":..}}), replaced through {@link AtomicFileWriter} (temp, fsync, rename), so a
 * kill at any moment leaves the old or the new checkpoint, never an empty one. The directory is not
 * fsynced after the rename: a power loss may bring back the previous checkpoint, which only means a
 * resend, and it saves one fsync in every write (several a second under load). Unchanged checkpoints
 * are not rewritten.
 *
 * <p>On load the complete file wins. A temp file left by a write that was killed before its rename
 * is used only when there is no usable checkpoint (its content was fsynced and names only
 * acknowledged lines), then deleted. A corrupt checkpoint is moved aside and reported loudly;
 * loading goes on without it (from the start position) instead of failing at every restart.
 */
public final class CheckpointStore {

    static final int VERSION = 1;
    /** Streaming only: the file is five fields, and data binding would cost the agent's start-up a quarter second. */
    private static final JsonFactory JSON = new JsonFactory();
    /** Stands for a value of a type no checkpoint field has, so the field's check names the problem. */
    private static final Object OTHER = new Object();

    private final Path file;
    private final Consumer<String> warnings;
    /** Guarded by this: the checkpoint on disk as last read or written, so an unchanged one is not even encoded. */
    private Checkpoint current;
    /** Guarded by this: where the last {@link #load()} moved an unusable checkpoint. */
    private Path movedAside;

    /** A store whose warnings go to the process's log. */
    public CheckpointStore(Path file) {
        this(file, message -> Log.stderr().warn("tail/checkpoint", "checkpoint file problem", "detail", message));
    }

    /** A store that reports problems (corrupt file moved aside, interrupted write used) to {@code warnings}. */
    public CheckpointStore(Path file, Consumer<String> warnings) {
        this.file = Objects.requireNonNull(file, "file");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("checkpoint file must name a file, got " + file);
        }
    }

    public Path file() {
        return file;
    }

    /** The saved checkpoint; empty when there is none (or only a corrupt one, which is then moved aside). */
    public synchronized Optional<Checkpoint> load() throws IOException {
        List<Path> temps = leftoverTemps();
        Optional<Checkpoint> loaded = loadStable();
        if (loaded.isEmpty()) {
            loaded = newestUsableTemp(temps);
        }
        for (Path temp : temps) {
            Files.deleteIfExists(temp);
        }
        return loaded;
    }

    /** Where the last {@link #load()} moved an unusable checkpoint; empty when it found none. */
    public synchronized Optional<Path> movedAside() {
        return Optional.ofNullable(movedAside);
    }

    /**
     * Replaces the checkpoint atomically; does nothing when it is unchanged.
     *
     * @return whether the file was written
     */
    public synchronized boolean save(Checkpoint checkpoint) throws IOException {
        if (checkpoint.equals(current)) {
            return false;
        }
        AtomicFileWriter.replace(file, encode(checkpoint), AtomicFileWriter.OWNER_READ_WRITE, AtomicFileWriter.Durability.OLD_OR_NEW);
        current = checkpoint;
        return true;
    }

    private Optional<Checkpoint> loadStable() throws IOException {
        Optional<byte[]> read = NoFollowFiles.readIfExists(file);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = read.get();
        try {
            Checkpoint checkpoint = decode(bytes);
            current = checkpoint;
            return Optional.of(checkpoint);
        } catch (InvalidCheckpointException e) {
            Path aside = moveAside();
            movedAside = aside;
            warnings.accept("checkpoint " + file + " is unusable (" + e.getMessage() + "); moved it to " + aside
                    + ". Shipping resumes without it: from the configured start position (beginning: events may"
                    + " be sent again; end: events written meanwhile are skipped)");
            return Optional.empty();
        }
    }

    private Optional<Checkpoint> newestUsableTemp(List<Path> temps) throws IOException {
        Map<Path, FileTime> modified = new HashMap<>();
        for (Path temp : temps) {
            modified.put(temp, Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS));
        }
        List<Path> newestFirst = new ArrayList<>(temps);
        newestFirst.sort(Comparator.comparing(modified::get).reversed());
        for (Path temp : newestFirst) {
            try {
                byte[] bytes = NoFollowFiles.read(temp);
                Checkpoint checkpoint = decode(bytes);
                AtomicFileWriter.write(file, bytes, AtomicFileWriter.OWNER_READ_WRITE);
                current = checkpoint;
                warnings.accept("checkpoint " + file + " was missing; used " + temp + ", left by a write that was"
                        + " interrupted before its rename");
                return Optional.of(checkpoint);
            } catch (InvalidCheckpointException e) {
                warnings.accept("ignoring " + temp + ", left by an interrupted checkpoint write: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private List<Path> leftoverTemps() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        List<Path> temps = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return temps;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + file.getFileName() + ".tmp-*")) {
            entries.forEach(temps::add);
        }
        return temps;
    }

    private Path moveAside() throws IOException {
        for (int n = 1; ; n++) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + n);
            if (!NoFollowFiles.exists(aside)) {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                AtomicFileWriter.fsyncDirectory(file.toAbsolutePath().getParent());
                return aside;
            }
        }
    }

    static byte[] encode(Checkpoint c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeObjectFieldStart("file");
            g.writeNumberField("device", c.file().device());
            g.writeNumberField("inode", c.file().inode());
            g.writeStringField("fingerprint", c.file().fingerprint());
            g.writeEndObject();
            g.writeStringField("path", c.path());
            g.writeNumberField("offset", c.offset());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    static Checkpoint decode(byte[] bytes) throws InvalidCheckpointException {
        if (bytes.length == 0) {
            throw new InvalidCheckpointException("the file is empty");
        }
        Map<String, Object> root;
        try (JsonParser p = JSON.createParser(bytes)) {
            root = object(p, p.nextToken(), 1);
            if (p.nextToken() != null) {
                throw new InvalidCheckpointException("not JSON: trailing content after the object");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidCheckpointException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidCheckpointException("unreadable: " + e.getMessage());
        }
        long version = integer(root, "version");
        if (version != VERSION) {
            throw new InvalidCheckpointException("version " + version + ", this agent reads version " + VERSION);
        }
        if (!(root.get("file") instanceof Map<?, ?> id)) {
            throw new InvalidCheckpointException("\"file\" must be an object");
        }
        try {
            FileId fileId = new FileId(integer(id, "device"), integer(id, "inode"), text(id, "fingerprint"));
            return new Checkpoint(fileId, text(root, "path"), integer(root, "offset"));
        } catch (IllegalArgumentException e) {
            throw new InvalidCheckpointException(e.getMessage());
        }
    }

    /**
     * The members of the object starting at {@code start}: a Long for an integer that fits, a String,
     * a Map for an object up to {@code depth} levels down, {@link #OTHER} for anything else.
     */
    private static Map<String, Object> object(JsonParser p, JsonToken start, int depth)
            throws IOException, InvalidCheckpointException {
        if (start != JsonToken.START_OBJECT) {
            throw new InvalidCheckpointException("not a JSON object");
        }
        Map<String, Object> members = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                members.put(name, p.getLongValue());
            } else if (value == JsonToken.VALUE_STRING) {
                members.put(name, p.getText());
            } else if (value == JsonToken.START_OBJECT && depth > 0) {
                members.put(name, object(p, value, depth - 1));
            } else {
                p.skipChildren();
                members.put(name, OTHER);
            }
        }
        return members;
    }

    private static long integer(Map<?, ?> members, String field) throws InvalidCheckpointException {
        if (!(members.get(field) instanceof Long value)) {
            throw new InvalidCheckpointException("\"" + field + "\" must be an integer");
        }
        return value;
    }

    private static String text(Map<?, ?> members, String field) throws InvalidCheckpointException {
        if (!(members.get(field) instanceof String value)) {
            throw new InvalidCheckpointException("\"" + field + "\" must be a string");
        }
        return value;
    }

    /** The checkpoint file's content is not a checkpoint. */
    static final class InvalidCheckpointException extends Exception {
        InvalidCheckpointException(String message) {
            super(message);
        }
    }
}
