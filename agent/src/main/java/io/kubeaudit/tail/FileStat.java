package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/** What {@code stat} says about a file at one moment. */
record FileStat(Path path, long device, long inode, long size) {

    /** The regular file at {@code path}, or empty when there is none (it may vanish any moment). */
    static Optional<FileStat> of(Path path) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:dev,ino,size,isRegularFile");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!(Boolean) attributes.get("isRegularFile")) {
            return Optional.empty();
        }
        return Optional.of(new FileStat(path, (Long) attributes.get("dev"), (Long) attributes.get("ino"),
                (Long) attributes.get("size")));
    }

    boolean isSameFile(FileStat other) {
        return device == other.device && inode == other.inode;
    }

    /**
     * Opens this very file for reading: the path is stat'ed again after opening, and a channel to
     * whatever else the name now points to is closed again (empty result).
     */
    Optional<FileChannel> open() throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        boolean same = false;
        try {
            same = of(path).map(this::isSameFile).orElse(false);
        } finally {
            if (!same) {
                channel.close();
            }
        }
        return same ? Optional.of(channel) : Optional.empty();
    }
}
