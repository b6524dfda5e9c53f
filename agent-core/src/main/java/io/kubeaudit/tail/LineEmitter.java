package io.kubeaudit.tail;

/**
 * Turns complete lines into numbered {@link LogLine}s for the consumer and counts them. Owned by
 * the reading thread.
 */
final class LineEmitter implements LineSplitter.Sink {

    private final LineConsumer out;
    private final TailListener listener;
    private long nextSequence;
    private FileId file;
    private String path;
    private long lines;
    private long bytes;

    LineEmitter(LineConsumer out, TailListener listener) {
        this.out = out;
        this.listener = listener;
    }

    /** Lines from now on come from {@code file}; null until the file has an identity (then no line can come). */
    void from(FileId file, String path) {
        this.file = file;
        this.path = path;
    }

    /** The file kept its identity but has a new name. */
    void renamed(String path) {
        this.path = path;
    }

    @Override
    public void line(long offset, byte[] line) throws InterruptedException {
        out.accept(new LogLine(nextSequence, file, path, offset, offset + line.length + 1, line));
        nextSequence++;
        lines++;
        bytes += line.length + 1;
    }

    @Override
    public void tooLong(long offset, long length, byte[] head) {
        listener.lineTooLong(path, offset, length, head);
    }

    /** Reports the lines handed on since the last report. */
    void reportCounts() {
        if (lines > 0) {
            listener.linesRead(lines, bytes);
            lines = 0;
            bytes = 0;
        }
    }
}
