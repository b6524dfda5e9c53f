package io.kubeaudit.tail;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names the API server's log rotation (natefinch/lumberjack) gives backups of a log file:
 * {@code audit.log} becomes {@code audit-2006-01-02T15-04-05.000.log} (UTC, milliseconds), later
 * perhaps {@code audit-2006-01-02T15-04-05.000.log.gz}. The timestamp is when the rotation
 * happened, so backups sort oldest first by it.
 */
final class BackupNames {

    record Backup(String stamp, boolean compressed) {
    }

    private static final String STAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}";
    /** Any backup name: prefix, stamp, the live log's extension (not ".gz" itself), compression. */
    private static final Pattern ANY_BACKUP = Pattern.compile("(.+)-" + STAMP + "((?:\\.(?!gz$)[^.]*)?)(\\.gz)?");

    private final Path logFile;
    private final Pattern pattern;

    BackupNames(Path logFile) {
        this.logFile = logFile;
        String name = logFile.getFileName().toString();
        // lumberjack splits at filepath.Ext: the last dot of the base name.
        int dot = name.lastIndexOf('.');
        String prefix = dot < 0 ? name : name.substring(0, dot);
        String extension = dot < 0 ? "" : name.substring(dot);
        this.pattern = Pattern.compile(Pattern.quote(prefix)
                + "-(" + STAMP + ")" + Pattern.quote(extension) + "(\\.gz)?");
    }

    /** The live log's name a backup name belongs to ({@code audit.log} for {@code audit-<stamp>.log.gz}), or empty. */
    static Optional<String> liveNameOf(String fileName) {
        Matcher m = ANY_BACKUP.matcher(fileName);
        return m.matches() ? Optional.of(m.group(1) + m.group(2)) : Optional.empty();
    }

    Path logFile() {
        return logFile;
    }

    Path directory() {
        Path parent = logFile.toAbsolutePath().getParent();
        return parent == null ? logFile.toAbsolutePath().getRoot() : parent;
    }

    /** The backup a file name denotes, or empty for any other name (the live log included). */
    Optional<Backup> parse(String fileName) {
        Matcher m = pattern.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Backup(m.group(1), m.group(2) != null));
    }

    /** The rotation timestamp in a path's file name, if it is a backup name. */
    Optional<String> stampOf(String path) {
        Path fileName = Path.of(path).getFileName();
        return fileName == null ? Optional.empty() : parse(fileName.toString()).map(Backup::stamp);
    }
}
