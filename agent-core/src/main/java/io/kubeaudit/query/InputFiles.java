package io.kubeaudit.query;

import io.kubeaudit.tail.LogFiles;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** What a query reads, in time order: a log with its backups, files and folders given by name, or dead letters. */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * The configured audit log: its retained backups oldest first, then the live log, all written by the
     * API server of {@code node} (this machine).
     */
    public static List<InputFile> ofLog(Path liveLog, String node) throws IOException, InvalidInputException {
        List<InputFile> files = new ArrayList<>();
        for (LogFiles.LogFile f : LogFiles.of(liveLog)) {
            files.add(of(f, Optional.of(node)));
        }
        if (files.isEmpty()) {
            throw new InvalidInputException(new SourceLocation(liveLog.toString(), 0, 0), "no audit log and no backups of it"
                    + " here: auditing is off, or audit.logPath points elsewhere (kube-audit-agent status shows the server's"
                    + " --audit-log-path); or give the files to read");
        }
        return files;
    }

    /**
     * Files and folders named on the command line, each folder as the logs in it ({@code *.log} and their
     * backups), compressed files recognised by their content. The node that wrote them is unknown.
     */
    public static List<InputFile> of(List<Path> paths) throws IOException, InvalidInputException {
        List<InputFile> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<LogFiles.LogFile> logs = LogFiles.inDirectory(p);
                if (logs.isEmpty()) {
                    throw new InvalidInputException(new SourceLocation(p.toString(), 0, 0), "no audit logs in this folder"
                            + " (files named *.log and their backups *-<time>.log[.gz]); name other files one by one");
                }
                for (LogFiles.LogFile f : logs) {
                    files.add(of(f, Optional.empty()));
                }
            } else {
                requireReadable(p);
                LogFiles.LogFile f = LogFiles.single(p, isGzip(p));
                files.add(new InputFile(p, f.compressed() ? InputFile.Format.GZIP : InputFile.Format.PLAIN, f.rotatedAt(),
                        false, Optional.empty()));
            }
        }
        return files;
    }

    /** Dead-letter files ({@code *.ndjson}) in each folder, in name order, and dead-letter files named directly. */
    public static List<InputFile> deadLetters(List<Path> paths) throws IOException, InvalidInputException {
        List<InputFile> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                TreeSet<Path> records = new TreeSet<>();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(p, "*.ndjson")) {
                    entries.forEach(records::add);
                }
                records.forEach(r -> files.add(deadLetter(r)));
            } else {
                requireReadable(p);
                files.add(deadLetter(p));
            }
        }
        return files;
    }

    /** Drops the backups rotated before {@code from}: none of their events can be that recent. */
    public static List<InputFile> receivedFrom(List<InputFile> files, Optional<Instant> from) {
        if (from.isEmpty()) {
            return files;
        }
        return files.stream().filter(f -> f.rotatedAt().map(r -> !r.isBefore(from.get())).orElse(true)).toList();
    }

    private static InputFile deadLetter(Path p) {
        return new InputFile(p, InputFile.Format.DEAD_LETTER, Optional.empty(), false, Optional.empty());
    }

    private static InputFile of(LogFiles.LogFile f, Optional<String> node) {
        return new InputFile(f.path(), f.compressed() ? InputFile.Format.GZIP : InputFile.Format.PLAIN, f.rotatedAt(), f.isLive(),
                node);
    }

    private static void requireReadable(Path p) throws InvalidInputException {
        if (!Files.exists(p)) {
            throw new InvalidInputException(new SourceLocation(p.toString(), 0, 0), "no such file or folder");
        }
        if (!Files.isReadable(p)) {
            throw new InvalidInputException(new SourceLocation(p.toString(), 0, 0), "not readable (run as root?)");
        }
    }

    /** gzip by its magic bytes, whatever the name. */
    private static boolean isGzip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
        }
    }
}
