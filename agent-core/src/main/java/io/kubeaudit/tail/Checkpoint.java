package io.kubeaudit.tail;

import java.util.Objects;

/**
 * Where to resume: the file (by identity) and the offset of the first line not yet acknowledged.
 *
 * @param file   identity of the file; a compressed backup of it matches by fingerprint
 * @param path   where the file was when the checkpoint was taken; used only as a hint (the
 *               timestamp of a backup name) when the file is gone
 * @param offset the {@link LogLine#endOffset()} of the last acknowledged line (decompressed
 *               offset for a {@code .gz}); always the start of a line
 */
public record Checkpoint(FileId file, String path, long offset) {

    public Checkpoint {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        if (offset < 0) {
            throw new IllegalArgumentException("checkpoint offset must be >= 0, got " + offset);
        }
    }
}
