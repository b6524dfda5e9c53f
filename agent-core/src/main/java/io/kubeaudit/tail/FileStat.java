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

    /** A file held open, and what stat said about its name right after opening. */
    record Opened(FileChannel channel, FileStat stat) {
    }

    /**
     * Opens the file with this device and inode at this path: the path is stat'ed again after
     * opening, and a channel to whatever else the name points to by then is closed again (empty
     * result). The stat after opening is the one to trust: while the file is held its inode cannot
     * be given to another file, but the one stat'ed before may have been deleted meanwhile and a
     * new file under the same name may have got its inode number.
     */
    Optional<Opened> open() throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Optional<FileStat> now = Optional.empty();
        try {
            now = of(path).filter(this::isSameFile);
        } finally {
            if (now.isEmpty()) {
                channel.close();
            }
        }
        return now.map(stat -> new Opened(channel, stat));
    }
}
