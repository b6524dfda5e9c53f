package io.kubeaudit.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * One holder at a time: one setup or teardown per node ({@code setup.lock}), one shipper per state
 * directory ({@code ship.lock}). An OS file lock rather than a marker file: the kernel drops it when
 * the holder exits in any way, kill -9 included, so there is never a stale lock to clean up. The file
 * holds the holder's PID for the refusal message only.
 */
public final class ExclusiveLock implements AutoCloseable {

    /** Someone else holds the lock; {@link #holder()} says who (PID, since when, what for). */
    public static final class HeldException extends Exception {
        private final String holder;

        HeldException(Path lockFile, String holder) {
            super(holder + " (lock " + lockFile + ")");
            this.holder = holder;
        }

        /** {@code held by pid 4242 since 2026-12-07T12:00:00Z (ship)}. */
        public String holder() {
            return holder;
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private ExclusiveLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or refuses at once; never waits: a second setup queued behind a first one would
     * restart the API server again with stale assumptions, a second shipper would send everything twice.
     *
     * @param purpose what the holder does, shown to whoever is refused
     */
    public static ExclusiveLock acquire(Path lockFile, String purpose) throws HeldException, IOException {
        FileChannel channel = FileChannel.open(lockFile,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Another thread of this JVM holds it: the same refusal as for another process.
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = readHolder(channel);
            channel.close();
            throw new HeldException(lockFile, holder);
        }
        try {
            byte[] owner = ("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + " (" + purpose + ")\n")
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner), 0);
            channel.force(false);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new ExclusiveLock(channel, lock);
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(256);
        channel.read(buf, 0);
        String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
        // The holder writes its PID right after locking; an empty file means we looked in between.
        return text.isEmpty() ? "holder pid not yet written" : "held by " + text;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
