package io.kubeaudit.tail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the file at the head of the chain to its end, through the descriptor held for it.
 *
 * <p>A plain file is read until the tracker knows a newer file; then it is read to its end once
 * more (the API server closes a file before renaming it, so nothing comes after that) and is done.
 * After every read its first bytes are compared with its identity prefix: a file truncated or
 * rewritten in place under the reader is read again from 0, never from the middle of other content.
 *
 * <p>A {@code .gz} is read only once it decodes completely, from the checkpoint's decompressed
 * offset. Owned by the reading thread.
 */
final class HeadReader {

    /** Lets the reader wait and ask whether to stop. */
    interface Control {
        boolean isStopping();

        void pause() throws InterruptedException;
    }

    private final RotationTracker tracker;
    private final LineEmitter emitter;
    private final TailListener listener;
    private final InstantSource clock;
    private final Control control;
    private final int maxLineBytes;
    private final Duration incompleteGzipGrace;
    private final ByteBuffer direct;
    private final byte[] chunk;
    /** The {@code .gz} found incomplete: since when, at which size. */
    private Segment incomplete;
    private Instant incompleteSince;
    private long incompleteSize;

    HeadReader(RotationTracker tracker, LineEmitter emitter, TailListener listener, InstantSource clock,
               Control control, FollowerSettings settings) {
        this.tracker = tracker;
        this.emitter = emitter;
        this.listener = listener;
        this.clock = clock;
        this.control = control;
        this.maxLineBytes = (int) settings.maxLineBytes();
        this.incompleteGzipGrace = settings.incompleteGzipGrace();
        this.direct = ByteBuffer.allocateDirect(settings.readBufferBytes());
        this.chunk = new byte[settings.readBufferBytes()];
    }

    /** Returns when the file is done, when it cannot be read yet (after a pause; the caller asks again), or on stop. */
    void read(RotationTracker.Head head) throws IOException, InterruptedException {
        if (head.compressed()) {
            readCompressed(head);
        } else {
            readPlain(head);
        }
    }

    private void readPlain(RotationTracker.Head head) throws IOException, InterruptedException {
        Segment segment = head.segment();
        FileChannel channel = head.channel();
        long position = head.startOffset();
        byte[] prefix = Fingerprint.prefixOf(channel).orElse(null);
        byte[] expected = head.prefix() != null ? head.prefix() : prefix;
        if (position > 0 && (prefix == null || !Arrays.equals(expected, prefix) || position > channel.size())) {
            listener.truncated(segment.pathString(), position, channel.size());
            position = 0;
        }
        LineSplitter splitter = new LineSplitter(maxLineBytes, position);
        identify(head, prefix);
        listener.opened(segment.pathString(), position, false);
        boolean draining = false;
        while (!control.isStopping()) {
            int n = read(channel, position);
            Optional<byte[]> now = Fingerprint.prefixOf(channel);
            if (isReplaced(channel, position, prefix, now, n)) {
                listener.truncated(segment.pathString(), position, channel.size());
                position = 0;
                splitter.reset(0);
                prefix = now.orElse(null);
                identify(head, prefix);
            } else if (n > 0) {
                if (prefix == null && now.isPresent()) {
                    prefix = now.get();
                    identify(head, prefix);
                }
                position += n;
                segment.readPosition = position;
                emitter.renamed(segment.pathString());
                splitter.feed(chunk, n, emitter);
                emitter.reportCounts();
            } else if (draining) {
                finish(segment, splitter);
                return;
            } else {
                tracker.scan();
                if (tracker.hasNewer(segment)) {
                    draining = true;
                } else {
                    control.pause();
                }
            }
        }
    }

    /** Reads at {@code position} into the chunk; 0 at the end of the file. */
    private int read(FileChannel channel, long position) throws IOException {
        direct.clear();
        int n = channel.read(direct, position);
        if (n <= 0) {
            return 0;
        }
        direct.flip();
        direct.get(chunk, 0, n);
        return n;
    }

    /**
     * The file no longer holds what was read from it: it shrank below the read position, or its
     * first line changed, or (no first line known yet) a newline arrived although the file's start
     * still holds none, which only a shrunk and refilled file explains. Checked after every read
     * and at every end of file, so also before a file is given up as done.
     */
    private boolean isReplaced(FileChannel channel, long position, byte[] prefix, Optional<byte[]> now, int n)
            throws IOException {
        if (channel.size() < position) {
            return true;
        }
        if (prefix != null) {
            return now.isEmpty() || !Arrays.equals(prefix, now.get());
        }
        return n > 0 && now.isEmpty() && ByteSearch.indexOf(chunk, (byte) '\n', 0, n) >= 0;
    }

    private void identify(RotationTracker.Head head, byte[] prefix) {
        tracker.updatePrefix(head.segment(), prefix);
        FileId id = prefix == null ? null
                : new FileId(head.source().device(), head.source().inode(), Fingerprint.hash(prefix));
        emitter.from(id, head.segment().pathString());
    }

    private void readCompressed(RotationTracker.Head head) throws IOException, InterruptedException {
        Segment segment = head.segment();
        FileChannel channel = head.channel();
        if (segment == incomplete && channel.size() == incompleteSize) {
            waitForCompletion(segment, incompleteSize);
            return;
        }
        GzipContent.Inspection inspection = GzipContent.inspect(channel);
        if (inspection instanceof GzipContent.Incomplete i) {
            waitForCompletion(segment, i.compressedSize());
            return;
        }
        if (inspection instanceof GzipContent.Corrupt c) {
            tracker.drop(segment, channel.size(), "the compressed backup is corrupt (" + c.problem()
                    + ") and its plain file is gone: its events cannot be read");
            return;
        }
        GzipContent.Complete complete = (GzipContent.Complete) inspection;
        long position = head.startOffset();
        if (complete.size() < position) {
            listener.truncated(segment.pathString(), position, complete.size());
            position = 0;
        }
        identify(head, complete.prefix().orElse(null));
        listener.opened(segment.pathString(), position, true);
        LineSplitter splitter = new LineSplitter(maxLineBytes, position);
        try (InputStream in = GzipContent.open(channel)) {
            skip(in, position);
            for (int n; !control.isStopping() && (n = in.read(chunk, 0, chunk.length)) >= 0; ) {
                splitter.feed(chunk, n, emitter);
                emitter.reportCounts();
            }
        }
        if (!control.isStopping()) {
            finish(segment, splitter);
        }
    }

    /** The plain backup is gone and its {@code .gz} is still being written: wait, within limits. */
    private void waitForCompletion(Segment segment, long compressedSize) throws IOException, InterruptedException {
        Instant now = clock.instant();
        if (segment != incomplete) {
            listener.waiting(segment.pathString(), "the compressed backup is still being written and its plain file"
                    + " is gone: waiting for the gzip trailer");
        }
        if (segment != incomplete || compressedSize != incompleteSize) {
            incomplete = segment;
            incompleteSize = compressedSize;
            incompleteSince = now;
        } else if (Duration.between(incompleteSince, now).compareTo(incompleteGzipGrace) >= 0) {
            incomplete = null;
            tracker.drop(segment, compressedSize, "the compressed backup stayed incomplete and unchanged for "
                    + incompleteGzipGrace.toSeconds() + "s and its plain file is gone (the compressing process"
                    + " died?): its events cannot be read (size on disk given)");
            return;
        }
        control.pause();
    }

    private void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) {
                throw new IOException("the decompressed file ended before offset " + bytes);
            }
            left -= n;
        }
    }

    private void finish(Segment segment, LineSplitter splitter) throws IOException {
        String path = segment.pathString();
        long partial = splitter.partialBytes();
        if (partial > 0) {
            listener.lost(path, partial, "the file ended in an incomplete line (no newline) when it was rotated:"
                    + " that line is not shipped");
        }
        listener.finished(path, splitter.lineStart());
        tracker.finish(segment);
    }
}
