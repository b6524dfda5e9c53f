package io.kubeaudit.tail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.node.AtomicFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public CheckpointStore(Path file) {
        this.file = file;
    }

    public Optional<Checkpoint> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), Checkpoint.class));
    }

    public void save(Checkpoint checkpoint) throws IOException {
        AtomicFileWriter.write(file, JSON.writeValueAsBytes(checkpoint), AtomicFileWriter.OWNER_READ_WRITE);
    }
}
