package io.kubeaudit.daemon;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.NoFollowFiles;
import io.kubeaudit.node.PrivateDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The daemon's status as JSON in the state directory ({@code daemon-status.json}), replaced atomically
 * so a reader never sees half a file. Only the daemon writes it; {@code status} reads it.
 */
public final class StatusFile {

    public static final String NAME = "daemon-status.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new StdDeserializer<>(Instant.class) {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public StatusFile(Path stateDir) {
        this.file = stateDir.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    void write(DaemonStatus status) throws IOException {
        PrivateDirectory.ensure(file.getParent());
        AtomicFileWriter.write(file, JSON.writeValueAsBytes(status), AtomicFileWriter.OWNER_READ_WRITE);
    }

    /** The last status written; empty when no daemon ever ran with this state directory. */
    public Optional<DaemonStatus> read() throws IOException {
        try {
            Optional<byte[]> bytes = NoFollowFiles.readIfExists(file);
            return bytes.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(bytes.get(), DaemonStatus.class));
        } catch (IOException e) {
            throw new IOException("cannot read the daemon's status " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code value} as plain maps, lists and strings (times as ISO-8601), for printing with any JSON mapper. */
    public static Object plain(Object value) {
        return JSON.convertValue(value, Object.class);
    }
}
