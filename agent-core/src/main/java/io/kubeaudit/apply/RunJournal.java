package io.kubeaudit.apply;

import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.NoFollowFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * Remembers a run that has started changing the node until it has finished, so that the next run can
 * tell when one was killed half-way: its manifest may be in place without ever having been checked,
 * and "nothing to change" would otherwise hide that.
 */
final class RunJournal {

    /** A run that started changing the node and has not finished. */
    record Entry(Operation operation, Instant started, BackupLocation backups) {
        String describe() {
            return "a previous " + operation.command() + " started at " + started + " did not finish (was it killed?); its backups are "
                    + backups.describe();
        }
    }

    private final Path file;

    /** @param file host path of the journal, in the state dir */
    RunJournal(Path file) {
        this.file = file;
    }

    Optional<Entry> read() throws IOException {
        Optional<byte[]> bytes = NoFollowFiles.readIfExists(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(new String(bytes.get(), StandardCharsets.UTF_8)));
        try {
            return Optional.of(new Entry(Operation.valueOf(p.getProperty("operation", "")), Instant.parse(p.getProperty("started", "")),
                    new BackupLocation(Path.of(p.getProperty("privateBackup", "")), Path.of(p.getProperty("stateBackup", "")))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException("cannot read " + file + " (" + e.getMessage() + "); it records an unfinished run: look at its backups,"
                    + " then delete it", e);
        }
    }

    void started(Operation operation, Instant at, BackupLocation backups) throws IOException {
        Properties p = new Properties();
        p.setProperty("operation", operation.name());
        p.setProperty("started", at.toString());
        p.setProperty("privateBackup", backups.privateDir().toString());
        p.setProperty("stateBackup", backups.stateDir().toString());
        StringWriter text = new StringWriter();
        p.store(text, "kube-audit-agent: a setup or teardown in progress; removed when it finishes");
        AtomicFileWriter.write(file, text.toString().getBytes(StandardCharsets.UTF_8), AtomicFileWriter.OWNER_READ_WRITE);
    }

    void finished() throws IOException {
        if (Files.deleteIfExists(file)) {
            AtomicFileWriter.fsyncDirectory(file.getParent());
        }
    }
}
