package io.kubeaudit.query;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One file a query reads.
 *
 * @param rotatedAt when the API server rotated it (a backup name says so): every event in it was received before
 * @param live      the log the server may be writing right now: a last line without its newline is still being written
 * @param node      the node whose API server wrote it, when known (the configured log on this machine)
 */
public record InputFile(Path path, Format format, Optional<Instant> rotatedAt, boolean live, Optional<String> node) {

    public enum Format {
        PLAIN,
        GZIP,
        /** The agent's dead-letter records: each one carries an event's line. */
        DEAD_LETTER
    }

    public InputFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(rotatedAt, "rotatedAt");
        Objects.requireNonNull(node, "node");
    }

    /** The same backup compressed: the server deletes the plain file once its .gz is written. */
    InputFile compressed() {
        return new InputFile(path.resolveSibling(path.getFileName() + ".gz"), Format.GZIP, rotatedAt, false, node);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
