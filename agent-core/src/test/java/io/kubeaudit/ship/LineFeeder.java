package io.kubeaudit.ship;

import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.FileId;
import io.kubeaudit.tail.LineConsumer;
import io.kubeaudit.tail.LogLine;
import java.util.List;
import java.util.Optional;

/**
 * The follower's side of the contract, for pipeline tests that need no files: hands lines of one
 * "file" to the intake with real offsets, starting after a checkpoint when given one.
 */
final class LineFeeder {

    static final FileId FILE = new FileId(2049, 131, "fp-audit-log-1");
    static final String PATH = "/var/log/kubernetes/audit/audit.log";

    private final LineConsumer consumer;
    private final FileId file;
    private long sequence;

    LineFeeder(LineConsumer consumer) {
        this(consumer, FILE);
    }

    LineFeeder(LineConsumer consumer, FileId file) {
        this.consumer = consumer;
        this.file = file;
    }

    /** Feeds {@code lines} as the whole file, skipping what {@code from} says was read; returns lines handed over. */
    int feed(List<byte[]> lines, Optional<Checkpoint> from) throws InterruptedException {
        long offset = 0;
        int handed = 0;
        long resumeAt = from.filter(c -> c.file().sameContentAs(file)).map(Checkpoint::offset).orElse(0L);
        for (byte[] line : lines) {
            long end = offset + line.length + 1;
            if (end > resumeAt) {
                consumer.accept(new LogLine(sequence++, file, PATH, offset, end, line));
                handed++;
            }
            offset = end;
        }
        return handed;
    }

    static long fileLength(List<byte[]> lines) {
        long n = 0;
        for (byte[] l : lines) {
            n += l.length + 1;
        }
        return n;
    }
}
