package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The live log and its backups as one look at the directory found them. */
record DirectoryListing(Optional<FileStat> live, List<Rotation> rotations) {

    /**
     * One rotation: the backup under its timestamp name, plain, compressed or both (while the API
     * server compresses it: the {@code .gz} is written in place, then the plain file deleted).
     */
    record Rotation(String stamp, Optional<FileStat> plain, Optional<FileStat> compressed) {

        /** The plain file when there is one: it is complete, a {@code .gz} beside it may not be. */
        FileStat preferred() {
            return plain.orElseGet(compressed::orElseThrow);
        }

        boolean isCompressedOnly() {
            return plain.isEmpty();
        }
    }

    DirectoryListing {
        rotations = List.copyOf(rotations);
    }

    /**
     * The live log is looked at first, then the directory is read twice. A rotation that replaced
     * the live file before that look has left its backup name in the directory; but a directory
     * read racing a compression (the {@code .gz} created, the plain file deleted) may return
     * neither name, and the second read then finds the {@code .gz}.
     */
    static DirectoryListing read(BackupNames names) throws IOException {
        Optional<FileStat> live = FileStat.of(names.logFile());
        TreeMap<String, FileStat[]> byStamp = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (int pass = 0; pass < 2; pass++) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(names.directory())) {
                for (Path entry : entries) {
                    addBackup(names, entry, seen, byStamp);
                }
            } catch (NoSuchFileException e) {
                return new DirectoryListing(Optional.empty(), List.of());
            }
        }
        List<Rotation> rotations = new ArrayList<>();
        byStamp.forEach((stamp, files) ->
                rotations.add(new Rotation(stamp, Optional.ofNullable(files[0]), Optional.ofNullable(files[1]))));
        return new DirectoryListing(live, rotations);
    }

    private static void addBackup(BackupNames names, Path entry, Set<String> seen, TreeMap<String, FileStat[]> byStamp)
            throws IOException {
        String fileName = entry.getFileName().toString();
        Optional<BackupNames.Backup> backup = names.parse(fileName);
        if (backup.isEmpty() || !seen.add(fileName)) {
            return;
        }
        Optional<FileStat> stat = FileStat.of(entry);
        if (stat.isPresent()) {
            byStamp.computeIfAbsent(backup.get().stamp(), s -> new FileStat[2])[backup.get().compressed() ? 1 : 0] =
                    stat.get();
        }
    }

    Set<String> stamps() {
        return rotations.stream().map(Rotation::stamp).collect(Collectors.toSet());
    }

    /** Rotations after {@code stamp} (all of them for empty), oldest first. */
    List<Rotation> after(Optional<String> stamp) {
        return rotations.stream().filter(r -> stamp.isEmpty() || r.stamp().compareTo(stamp.get()) > 0).toList();
    }
}
