package io.kubeaudit.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Reading and opening the files the agent owns or replaces (its state, the manifest, the policy) without
 * following a symbolic link in the last step: a link planted there would make the agent read, show or
 * append to whatever it points to. The link is refused by name and target before opening, and the open
 * itself uses {@code O_NOFOLLOW}, so a link swapped in between fails instead of being followed.
 */
public final class NoFollowFiles {

    private NoFollowFiles() {
    }

    /** A file that is a symbolic link where the agent only uses regular files. */
    public static final class LinkRefusedException extends IOException {
        private final Path file;
        private final String target;

        LinkRefusedException(Path file, String target) {
            super(file + " is a symbolic link to " + target + "; refusing to follow it");
            this.file = file;
            this.target = target;
        }

        public Path file() {
            return file;
        }

        /** What the link points to, as written in the link. */
        public String target() {
            return target;
        }
    }

    /** Whether anything (a link included, even a dangling one) is at {@code file}. */
    public static boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** Throws {@link LinkRefusedException} when {@code file} is a symbolic link. */
    public static void refuseLink(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new LinkRefusedException(file, linkTarget(file));
        }
    }

    /** The file's bytes; empty when nothing is there. */
    public static Optional<byte[]> readIfExists(Path file) throws IOException {
        return readIfExists(file, Integer.MAX_VALUE);
    }

    /** At most {@code maxBytes} of the file; empty when nothing is there. */
    public static Optional<byte[]> readIfExists(Path file, int maxBytes) throws IOException {
        if (!exists(file)) {
            return Optional.empty();
        }
        return Optional.of(read(file, maxBytes));
    }

    /** The whole file, which must be a regular file and not a link. */
    public static byte[] read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE);
    }

    private static byte[] read(Path file, int maxBytes) throws IOException {
        requireRegular(file);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             InputStream in = Channels.newInputStream(ch)) {
            return in.readNBytes(maxBytes);
        }
    }

    /** Opens {@code file} to read and write, creating it with {@code mode}; never through a link. */
    public static FileChannel openReadWrite(Path file, Set<PosixFilePermission> mode) throws IOException {
        if (exists(file)) {
            requireRegular(file);
        }
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(mode));
    }

    /** Refuses a link, a directory, a FIFO (whose open would block) or a device where a regular file belongs. */
    private static void requireRegular(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new LinkRefusedException(file, linkTarget(file));
        }
        if (!a.isRegularFile()) {
            throw new IOException(file + " is not a regular file (" + (a.isDirectory() ? "a directory" : "a device, FIFO or socket") + ")");
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
