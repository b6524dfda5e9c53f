package io.kubeaudit.tail;

import java.util.Objects;

/**
 * Which audit log file a line came from.
 *
 * <p>Device and inode say which file on disk; they survive a rename but not compression (the
 * {@code .gz} the API server writes is a new file) and inodes are reused after a delete. The
 * fingerprint says which <em>content</em>: a hash of the file's first line (its first
 * {@value Fingerprint#BYTES} bytes when the first line is longer), computed over the decompressed
 * bytes for a {@code .gz}. An audit log's first line carries a unique auditID and timestamps, so
 * the fingerprint tells a rotated file, its compressed backup and an unrelated file with a reused
 * inode apart. A file whose first line is not complete yet (and shorter than that) has no
 * fingerprint yet: no line of it has been handed on, so no checkpoint can name it.
 *
 * @param device      st_dev of the file the bytes are read from
 * @param inode       st_ino of that file
 * @param fingerprint hex hash of the first line, never blank
 */
public record FileId(long device, long inode, String fingerprint) {

    public FileId {
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (fingerprint.isBlank()) {
            throw new IllegalArgumentException("a file identity needs a fingerprint");
        }
    }

    /** Same log content: the file itself, or its compressed backup. */
    public boolean sameContentAs(FileId other) {
        return fingerprint.equals(other.fingerprint);
    }
}
