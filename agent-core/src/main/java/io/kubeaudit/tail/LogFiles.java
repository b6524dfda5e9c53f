package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The files of a log as they are on disk now, oldest first, for readers that read once (queries, the
 * policy simulation) rather than follow: the retained backups in rotation order, each as its plain file
 * when there is one (a {@code .gz} beside it may still be being written), else its {@code .gz}, then the
 * live log. Names and order are the {@link Follower}'s own ({@link BackupNames}, {@link DirectoryListing}).
 */
public final class LogFiles {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");

    /**
     * One file of a log.
     *
     * @param rotatedAt when the server rotated it (from its backup name; every line in it was written
     *                  before); empty for the live log
     */
    public record LogFile(Path path, boolean compressed, Optional<Instant> rotatedAt) {

        public boolean isLive() {
            return rotatedAt.isEmpty();
        }
    }

    private LogFiles() {
    }

    /** The backups of {@code liveLog} and then {@code liveLog} itself, as far as they exist; empty when none do. */
    public static List<LogFile> of(Path liveLog) throws IOException {
        DirectoryListing listing = DirectoryListing.read(new BackupNames(liveLog));
        List<LogFile> files = new ArrayList<>();
        for (DirectoryListing.Rotation r : listing.rotations()) {
            files.add(new LogFile(r.preferred().path(), r.isCompressedOnly(), Optional.of(instantOf(r.stamp()))));
        }
        listing.live().ifPresent(live -> files.add(new LogFile(live.path(), false, Optional.empty())));
        return files;
    }

    /**
     * Every log in {@code directory}: each {@code *.log} file with its backups, and backups whose live
     * log is gone (a copied folder), one log after the other in name order. Other files are not logs.
     */
    public static List<LogFile> inDirectory(Path directory) throws IOException {
        TreeSet<String> liveNames = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                BackupNames.liveNameOf(name).or(() -> name.endsWith(".log") ? Optional.of(name) : Optional.empty())
                        .ifPresent(liveNames::add);
            }
        }
        List<LogFile> files = new ArrayList<>();
        for (String live : liveNames) {
            files.addAll(of(directory.resolve(live)));
        }
        return files;
    }

    /** The file at {@code path} as one log file: a backup name says when it was rotated, the rest count as live. */
    public static LogFile single(Path path, boolean compressed) {
        Path name = path.getFileName();
        Optional<Instant> rotated = name == null ? Optional.empty()
                : BackupNames.liveNameOf(name.toString()).flatMap(live -> new BackupNames(path.resolveSibling(live))
                        .parse(name.toString())).map(b -> instantOf(b.stamp()));
        return new LogFile(path, compressed, rotated);
    }

    private static Instant instantOf(String stamp) {
        return LocalDateTime.parse(stamp, STAMP).toInstant(ZoneOffset.UTC);
    }
}
