package io.kubeaudit.node;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Set;

/**
 * The agent's own directories: the state directory and those in it (checkpoints, dead letters,
 * backups). Whoever else can write into one can plant a link there that the agent would write audit
 * records through, or replace its checkpoints; so a directory is used only when it is a plain
 * directory, owned by the user the agent runs as, writable by nobody else, and holds no symbolic
 * links. Such a directory is then narrowed to 0700 (dead letters and backups hold audit data).
 * Anything else is refused with what to do, never repaired: its content can no longer be trusted.
 */
public final class PrivateDirectory {

    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private PrivateDirectory() {
    }

    /** The directory is there but not safe to use. */
    public static final class UnsafeDirectoryException extends IOException {
        UnsafeDirectoryException(Path dir, String problem) {
            super("refusing to use " + dir + ": " + problem);
        }
    }

    /**
     * Creates {@code dir} (mode 0700, its parents as usual) or checks the one that is there.
     *
     * @return {@code dir}
     * @throws UnsafeDirectoryException when it is a link, not a directory, another user's, writable by
     *                                  group or others, or holds a symbolic link
     */
    public static Path ensure(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(MODE));
        } catch (FileAlreadyExistsException e) {
            check(dir);
        }
        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(MODE);
        return dir;
    }

    private static void check(Path dir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new UnsafeDirectoryException(dir, "it is a symbolic link to " + Files.readSymbolicLink(dir)
                    + "; the agent keeps its state only in a plain directory: remove the link");
        }
        if (!a.isDirectory()) {
            throw new UnsafeDirectoryException(dir, "it exists and is not a directory; move it away");
        }
        UnixSystem self = new UnixSystem();
        int owner = ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue();
        if (owner != self.getUid()) {
            throw new UnsafeDirectoryException(dir, "it is owned by " + a.owner().getName() + " (uid " + owner + "), not by "
                    + self.getUsername() + " (uid " + self.getUid() + ") that runs the agent, so its files could have been"
                    + " planted or changed by that user: check them, then `chown -R " + self.getUsername() + " " + dir
                    + "` (or remove the directory)");
        }
        Set<PosixFilePermission> writable = a.permissions();
        writable.retainAll(WRITABLE_BY_OTHERS);
        if (!writable.isEmpty()) {
            throw new UnsafeDirectoryException(dir, "it is writable by " + (writable.size() == 2 ? "group and others" : writable.contains(
                    PosixFilePermission.GROUP_WRITE) ? "its group" : "others") + " (mode " + PosixFilePermissions.toString(a.permissions())
                    + "), so its files could have been planted or changed: check them, then `chmod 700 " + dir + "`");
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(dir, Files::isSymbolicLink)) {
            Iterator<Path> first = links.iterator();
            if (first.hasNext()) {
                Path link = first.next();
                throw new UnsafeDirectoryException(dir, "it holds a symbolic link, " + link.getFileName() + " -> "
                        + Files.readSymbolicLink(link) + "; the agent never writes through links in its own directories: remove it");
            }
        }
    }
}
