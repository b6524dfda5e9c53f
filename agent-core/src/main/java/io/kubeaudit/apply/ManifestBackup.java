package io.kubeaudit.apply;

import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.PrivateDirectory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves copies of the files a run is about to replace, never inside the manifests directory (the
 * kubelet would run a copy there as a second pod). Two copies: one in a private directory under the
 * backup dir, created atomically with an unpredictable name so nobody can plant a symlink in
 * world-writable {@code /tmp}, and one in the state dir, which survives tmp cleaning. Restoring is
 * not done from here: the transaction writes the saved bytes back through the atomic writer, so a
 * restore never renames across filesystems.
 */
public final class ManifestBackup {

    public static final String PRIVATE_PREFIX = "kube-audit-agent-backup-";
    /** Enough history to step back a few changes; old copies are pruned so the state dir stays bounded. */
    static final int KEEP = 10;

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path backupDir;
    private final Path stateBackups;
    private final InstantSource clock;

    /**
     * @param backupDir    host path of apply.backupDir
     * @param stateBackups host path of {@code <stateDir>/backups}
     */
    ManifestBackup(Path backupDir, Path stateBackups, InstantSource clock) {
        this.backupDir = backupDir;
        this.stateBackups = stateBackups;
        this.clock = clock;
    }

    /** Writes every file (name to content) into both places and returns them; prunes old backups afterwards. */
    BackupLocation save(Map<String, byte[]> files) throws IOException {
        if (Files.notExists(backupDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(backupDir);
        }
        // createTempDirectory makes the directory with mkdir(2) under a random name and mode 0700 at
        // creation: it fails rather than follow anything planted at that name.
        Path privateDir = Files.createTempDirectory(backupDir, PRIVATE_PREFIX, PosixFilePermissions.asFileAttribute(DIR_MODE));
        writeAll(privateDir, files);
        Path stateDir = createStampedDirectory();
        writeAll(stateDir, files);
        prune(backupDir, PRIVATE_PREFIX, privateDir);
        prune(stateBackups, "", stateDir);
        return new BackupLocation(privateDir, stateDir);
    }

    private Path createStampedDirectory() throws IOException {
        PrivateDirectory.ensure(stateBackups.getParent());
        PrivateDirectory.ensure(stateBackups);
        String stamp = STAMP.format(clock.instant());
        for (int attempt = 0; ; attempt++) {
            Path dir = stateBackups.resolve(attempt == 0 ? stamp : stamp + "-" + attempt);
            try {
                return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static void writeAll(Path dir, Map<String, byte[]> files) throws IOException {
        Files.setPosixFilePermissions(dir, DIR_MODE);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = dir.resolve(f.getKey());
            try (FileChannel ch = FileChannel.open(target,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(FILE_MODE))) {
                ByteBuffer buf = ByteBuffer.wrap(f.getValue());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(target, FILE_MODE);
        }
        AtomicFileWriter.fsyncDirectory(dir);
    }

    /** Keeps the newest {@link #KEEP} backup directories (by modification time) and never the one just made. */
    private static void prune(Path parent, String prefix, Path current) throws IOException {
        List<Path> candidates = new ArrayList<>();
        Map<Path, FileTime> times = new LinkedHashMap<>();
        UserPrincipal us = Files.getOwner(current, LinkOption.NOFOLLOW_LINKS);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path p : entries) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                // Only plain directories we own: in a shared /tmp, a symlink, a file or another
                // user's directory with our prefix is not ours to delete.
                if (a.isDirectory() && !p.equals(current) && Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).equals(us)) {
                    candidates.add(p);
                    times.put(p, a.lastModifiedTime());
                }
            }
        }
        candidates.sort(Comparator.comparing((Path p) -> times.get(p)).reversed().thenComparing(Comparator.reverseOrder()));
        for (Path old : candidates.subList(Math.min(candidates.size(), KEEP - 1), candidates.size())) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        // walkFileTree does not follow symlinks by default, so a link inside cannot lead us outside.
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
