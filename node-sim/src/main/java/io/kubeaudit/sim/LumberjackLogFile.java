package io.kubeaudit.sim;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * The audit log file with natefinch/lumberjack's rotation, which kube-apiserver uses for its log backend:
 * when a write would pass the size limit the file is renamed to {@code audit-<UTC 2006-01-02T15-04-05.000>.log}
 * and a new one is created with the old mode; afterwards, asynchronously, backups beyond maxBackups or older
 * than maxAge are deleted and the rest gzip-compressed in place ({@code .gz} written directly, then the plain
 * file removed). Readers of the simulator's logs therefore meet the same rename, partial-gzip and pruning
 * races as on a real node.
 *
 * <p>One deliberate difference: lumberjack overwrites a backup whose name already exists, which only happens
 * when two rotations fall in the same millisecond. Real servers rotate at megabytes and never do; the
 * simulator's byte-sized test limit could, so it waits for the clock to tick rather than lose events.
 */
final class LumberjackLogFile implements AuditSink {

    static final long MEGABYTE = 1024L * 1024L;
    static final long DEFAULT_MAX_BYTES = 100 * MEGABYTE;

    private static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-------");

    /** Rotation settings as lumberjack takes them. */
    record Rotation(long maxSizeBytes, int maxBackups, int maxAgeDays, boolean compress) {
        Rotation {
            if (maxSizeBytes <= 0 || maxBackups < 0 || maxAgeDays < 0) {
                throw new IllegalArgumentException("invalid rotation " + maxSizeBytes + "/" + maxBackups + "/" + maxAgeDays);
            }
        }
    }

    private final Path file;
    private final String shownPath;
    private final Rotation rotation;
    private final boolean renameBlocked;
    private final InstantSource clock;
    private final Consumer<String> errors;
    private final String prefix;
    private final String ext;
    private final ExecutorService mill = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audit-log-mill");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean millQueued = new AtomicBoolean();

    /** Guarded by this. */
    private OutputStream out;
    /** Guarded by this. */
    private long size;
    /** Guarded by this. */
    private boolean closed;

    /**
     * @param shownPath the path as the server was configured (the container path), for messages
     * @param renameBlocked true when the file itself is a bind mount: rename(2) fails with EBUSY (failure mode 5)
     * @param errors receives rotation and mill errors, which lumberjack returns to a caller that only logs them
     */
    LumberjackLogFile(Path file, String shownPath, Rotation rotation, boolean renameBlocked, InstantSource clock,
                      Consumer<String> errors) {
        this.file = file.toAbsolutePath().normalize();
        this.shownPath = shownPath;
        this.rotation = rotation;
        this.renameBlocked = renameBlocked;
        this.clock = clock;
        this.errors = errors;
        String name = this.file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        this.ext = dot < 0 ? "" : name.substring(dot);
        this.prefix = name.substring(0, name.length() - ext.length()) + "-";
    }

    @Override
    public synchronized void write(byte[] line) throws IOException {
        if (closed) {
            throw new IOException(shownPath + " is closed: the server is shutting down");
        }
        if (line.length > rotation.maxSizeBytes()) {
            throw new IOException("write length " + line.length + " exceeds maximum file size " + rotation.maxSizeBytes());
        }
        if (out == null) {
            openExistingOrNew(line.length);
        }
        if (size + line.length > rotation.maxSizeBytes()) {
            rotate();
        }
        out.write(line);
        size += line.length;
    }

    private void openExistingOrNew(int writeLength) throws IOException {
        requestMill();
        if (!Files.exists(file)) {
            openNew();
            return;
        }
        long existing = Files.size(file);
        if (existing + writeLength >= rotation.maxSizeBytes()) {
            rotate();
            return;
        }
        try {
            out = new FileOutputStream(file.toFile(), true);
            size = existing;
        } catch (IOException e) {
            // lumberjack: "if we fail to open the old log file for some reason, just ignore it and open a new log file"
            openNew();
        }
    }

    private void rotate() throws IOException {
        closeFile();
        openNew();
        requestMill();
    }

    private void openNew() throws IOException {
        Files.createDirectories(file.getParent());
        Set<PosixFilePermission> mode = DEFAULT_MODE;
        if (Files.exists(file)) {
            mode = Files.getPosixFilePermissions(file);
            Path backup = freeBackupName();
            if (renameBlocked) {
                throw new IOException("can't rename log file: rename " + shownPath + " "
                        + Path.of(shownPath).resolveSibling(backup.getFileName()) + ": device or resource busy");
            }
            try {
                Files.move(file, backup);
            } catch (IOException e) {
                throw new IOException("can't rename log file: " + e.getMessage(), e);
            }
        }
        try {
            Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), PosixFilePermissions.asFileAttribute(mode)).close();
            Files.setPosixFilePermissions(file, mode);
            out = new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new IOException("can't open new logfile: " + e.getMessage(), e);
        }
        size = 0;
    }

    private Path freeBackupName() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            Path candidate = file.resolveSibling(prefix + BACKUP_TIME.format(clock.instant()) + ext);
            if (!Files.exists(candidate) && !Files.exists(candidate.resolveSibling(candidate.getFileName() + ".gz"))) {
                return candidate;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while naming a backup of " + shownPath, e);
            }
        }
        throw new IOException("no free backup name for " + shownPath + ": the clock did not advance");
    }

    private void closeFile() throws IOException {
        if (out != null) {
            OutputStream o = out;
            out = null;
            o.close();
        }
    }

    /** lumberjack's millCh has room for one request: asking again while one is queued changes nothing. */
    private void requestMill() {
        if (rotation.maxBackups() == 0 && rotation.maxAgeDays() == 0 && !rotation.compress()) {
            return;
        }
        if (millQueued.compareAndSet(false, true)) {
            mill.execute(() -> {
                millQueued.set(false);
                millRunOnce();
            });
        }
    }

    private record Backup(Path path, Instant time) {
        String plainName() {
            String n = path.getFileName().toString();
            return n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
        }
    }

    private void millRunOnce() {
        List<Backup> files;
        try {
            files = oldLogFiles();
        } catch (IOException e) {
            errors.accept("can't read log file directory: " + e.getMessage());
            return;
        }
        List<Backup> remove = new ArrayList<>();
        if (rotation.maxBackups() > 0 && rotation.maxBackups() < files.size()) {
            Set<String> preserved = new HashSet<>();
            List<Backup> remaining = new ArrayList<>();
            for (Backup f : files) {
                // A backup and its compressed twin count once.
                preserved.add(f.plainName());
                (preserved.size() > rotation.maxBackups() ? remove : remaining).add(f);
            }
            files = remaining;
        }
        if (rotation.maxAgeDays() > 0) {
            Instant cutoff = clock.instant().minus(Duration.ofDays(rotation.maxAgeDays()));
            List<Backup> remaining = new ArrayList<>();
            for (Backup f : files) {
                (f.time().isBefore(cutoff) ? remove : remaining).add(f);
            }
            files = remaining;
        }
        for (Backup f : remove) {
            try {
                Files.deleteIfExists(f.path());
            } catch (IOException e) {
                errors.accept("failed to remove " + f.path().getFileName() + ": " + e.getMessage());
            }
        }
        if (rotation.compress()) {
            for (Backup f : files) {
                if (!f.path().getFileName().toString().endsWith(".gz")) {
                    compress(f.path());
                }
            }
        }
    }

    private List<Backup> oldLogFiles() throws IOException {
        List<Backup> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(file.getParent())) {
            for (Path p : list.toList()) {
                if (Files.isDirectory(p)) {
                    continue;
                }
                String name = p.getFileName().toString();
                Instant t = timeFromName(name, ext);
                if (t == null) {
                    t = timeFromName(name, ext + ".gz");
                }
                if (t != null) {
                    out.add(new Backup(p, t));
                }
            }
        }
        out.sort(Comparator.comparing(Backup::time).reversed());
        return out;
    }

    private Instant timeFromName(String name, String suffix) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() <= prefix.length() + suffix.length()) {
            return null;
        }
        try {
            return BACKUP_TIME.parse(name.substring(prefix.length(), name.length() - suffix.length()), Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** lumberjack's compressLogFile: gzip straight into the final name, then delete the source. */
    private void compress(Path src) {
        Path dst = src.resolveSibling(src.getFileName() + ".gz");
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(src);
            try (InputStream in = Files.newInputStream(src);
                 OutputStream gz = new GZIPOutputStream(Channels.newOutputStream(Files.newByteChannel(dst,
                         Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
                         PosixFilePermissions.asFileAttribute(mode))))) {
                Files.setPosixFilePermissions(dst, mode);
                in.transferTo(gz);
            }
            Files.delete(src);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(dst);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            errors.accept("failed to compress log file: " + e);
        }
    }

    /** Closes the file and lets a running mill finish, so a stopped server leaves no half-written .gz behind. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            try {
                closeFile();
            } catch (IOException e) {
                errors.accept("closing " + shownPath + ": " + e.getMessage());
            }
        }
        mill.shutdown();
        try {
            if (!mill.awaitTermination(10, TimeUnit.SECONDS)) {
                errors.accept("audit log compression still running after 10s; leaving it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
