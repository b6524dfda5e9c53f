package io.kubeaudit.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The one way this agent replaces a file: a hidden temp file in the same directory (kubelet ignores
 * dotfiles, and the same filesystem makes the rename atomic), fsync, rename over the target, fsync
 * the directory. A crash at any point leaves either the old or the new content, whole.
 */
public final class AtomicFileWriter {

    /** What a replacement must survive beyond a killed process (which never tears the file). */
    public enum Durability {
        /** The rename is on disk too (directory fsync): a power loss never brings the old file back. */
        NEW_VERSION,
        /**
         * Only the content is on disk before the rename, so a power loss leaves the old or the new file,
         * never a torn one, but may bring the old one back. For files written many times a second whose
         * older version is merely stale (a checkpoint: the cost is a resend), it saves one fsync a write.
         */
        OLD_OR_NEW
    }

    public static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFileWriter() {
    }

    /**
     * Writes {@code content} to {@code target} atomically with the given mode.
     *
     * @return false when the target already held exactly this content and mode (nothing written)
     */
    public static boolean write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        if (hasContent(target, content, mode)) {
            return false;
        }
        replace(target, content, mode, Durability.NEW_VERSION);
        return true;
    }

    /** Replaces {@code target} atomically without first comparing: for callers that know the content changed. */
    public static void replace(Path target, byte[] content, Set<PosixFilePermission> mode, Durability durability)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp-" + randomSuffix());
        try {
            try (FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(mode))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // The umask may have narrowed the mode given at creation; set it exactly (on the file, never through a link).
            Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(mode);
            moveAtomically(temp, target);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (durability == Durability.NEW_VERSION) {
            fsyncDirectory(dir);
        }
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically (" + e.getMessage()
                    + "); the temp file must be on the same filesystem", e);
        }
    }

    /** Whether {@code target} is a regular file (not a link) with exactly this content and mode. */
    public static boolean hasContent(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return Files.size(target) == content.length
                && Arrays.equals(NoFollowFiles.read(target), content)
                && Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS).equals(mode);
    }

    /** Makes a rename or a new directory entry durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Deletes hidden temp files that an interrupted {@link #write} left beside {@code target} (a crash
     * between creating the temp file and the rename). Only call it while no other writer of
     * {@code target} can run, e.g. under a lock.
     *
     * @return the temp files removed
     */
    public static List<Path> removeStaleTemps(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "." + target.getFileName() + ".tmp-*")) {
            for (Path temp : temps) {
                if (Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(temp);
                    removed.add(temp);
                }
            }
        }
        return removed;
    }

    static String randomSuffix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
