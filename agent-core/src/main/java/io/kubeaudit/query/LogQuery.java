package io.kubeaudit.query;

import io.kubeaudit.tail.FollowerSettings;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads files once, start to end, in the order given, and hands the events the filter wants to an
 * output: bytes, then the pre-filter, then the parse of each candidate line, then the exact filter.
 * Memory is one read buffer and one event at a time, however large the logs. A line that is not an
 * event, or a file that cannot be read, is reported and the query goes on.
 */
public final class LogQuery {

    /** What one run read and found. */
    public record Stats(int files, long bytes, long parsed, long matched, long problems) {
    }

    private final EventFilter filter;
    private final Prefilter prefilter;
    private final EventParser parser;
    private final EventOutput out;
    private final Consumer<Problem> problems;
    /** Problems shown per file; a file that is not a log at all (pretty-printed JSON) would print one per line. */
    static final int PROBLEMS_SHOWN_PER_FILE = 10;

    private final LineChunks chunks = new LineChunks((int) FollowerSettings.DEFAULT_MAX_LINE_BYTES);
    private final ByteBuffer direct = ByteBuffer.allocateDirect(LineChunks.READ_BYTES);
    private int files;
    private long bytes;
    private long parsed;
    private long matched;
    private long problemCount;
    private int problemsInFile;

    public LogQuery(EventFilter filter, EventParser parser, EventOutput out, Consumer<Problem> problems) {
        this.filter = filter;
        this.prefilter = filter.prefilter();
        this.parser = parser;
        this.out = out;
        this.problems = problems;
    }

    public Stats run(List<InputFile> inputs) throws IOException {
        for (InputFile f : inputs) {
            read(f);
        }
        out.finish();
        return new Stats(files, bytes, parsed, matched, problemCount);
    }

    private void read(InputFile file) throws IOException {
        problemsInFile = 0;
        FileChannel channel;
        try {
            channel = FileChannel.open(file.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (file.rotatedAt().isPresent() && file.format() == InputFile.Format.PLAIN) {
                // Compressed since it was listed: the server writes the .gz, then deletes the plain file.
                read(file.compressed());
            } else {
                problem(file, 0, 0, "gone before it could be read (rotated away: the server keeps --audit-log-maxbackup files)");
            }
            return;
        } catch (IOException e) {
            problem(file, 0, 0, "cannot be read: " + e.getMessage());
            return;
        }
        files++;
        boolean compressed = file.format() == InputFile.Format.GZIP;
        FileScan scan = new FileScan(file, new LineNumbers(compressed ? null : channel));
        try (channel; InputStream in = compressed ? gunzip(channel) : null) {
            chunks.read(compressed ? failingAs(in::read) : failingAs(plain(channel)), !file.live(), scan);
        } catch (ReadFailure failure) {
            String why = failure.getCause() instanceof EOFException
                    ? "the compressed file ends early (still being written, or cut off)"
                    : failure.getCause() instanceof ZipException ? "the compressed file is corrupt from here on ("
                    + failure.getCause().getMessage() + ")" : "reading failed: " + failure.getCause();
            problem(file, scan.nextLine(), 0, why + ": the events after this line are missing");
        }
        if (problemsInFile > PROBLEMS_SHOWN_PER_FILE) {
            problems.accept(new Problem(file.toString(), 0, 0, (problemsInFile - PROBLEMS_SHOWN_PER_FILE)
                    + " more lines that are not audit events (not shown)"));
        }
    }

    /** A failure of the input, told apart from one of the output (a closed pipe), which ends the query. */
    private static final class ReadFailure extends IOException {
        ReadFailure(IOException cause) {
            super(cause);
        }
    }

    private static InputStream gunzip(FileChannel channel) throws ReadFailure {
        try {
            return new GZIPInputStream(Channels.newInputStream(channel), 64 * 1024);
        } catch (IOException e) {
            throw new ReadFailure(e);
        }
    }

    private static LineChunks.Source failingAs(LineChunks.Source source) {
        return (buffer, offset, length) -> {
            try {
                return source.read(buffer, offset, length);
            } catch (IOException e) {
                throw new ReadFailure(e);
            }
        };
    }

    /** Reads through a direct buffer: a heap buffer would make the JDK copy every byte one more time. */
    private LineChunks.Source plain(FileChannel channel) {
        long[] position = {0};
        return (buffer, offset, length) -> {
            direct.clear().limit(Math.min(length, direct.capacity()));
            int n = channel.read(direct, position[0]);
            if (n > 0) {
                position[0] += n;
                direct.flip().get(buffer, offset, n);
            }
            return n;
        };
    }

    private void problem(InputFile file, long line, int column, String message) {
        problemCount++;
        if (++problemsInFile <= PROBLEMS_SHOWN_PER_FILE) {
            problems.accept(new Problem(file.toString(), line, column, message));
        }
    }

    /** One file's chunks through the pre-filter and the parser. */
    private final class FileScan implements LineChunks.Handler, Prefilter.LineSink {
        private final InputFile file;
        private final LineNumbers numbers;
        private final Prefilter filterFor;
        private byte[] chunk;
        private int chunkFrom;
        private long chunkOffset;
        private long handedOn;

        FileScan(InputFile file, LineNumbers numbers) {
            this.file = file;
            this.numbers = numbers;
            // Dead-letter records hold the event as an escaped string: their bytes are not the event's.
            this.filterFor = file.format() == InputFile.Format.DEAD_LETTER ? Prefilter.EVERY_LINE : prefilter;
        }

        @Override
        public void lines(byte[] buffer, int from, int to, long offset) throws IOException {
            chunk = buffer;
            chunkFrom = from;
            chunkOffset = offset;
            bytes += to - from;
            filterFor.scan(buffer, from, to, this);
            numbers.chunkDone(buffer, from, to, offset);
            handedOn = offset + (to - from);
        }

        @Override
        public void tooLong(long offset, long length) throws IOException {
            bytes += length + 1;
            problem(file, numbers.lineAtSkipped(offset), 0, "a line of " + length + " bytes, longer than the limit of "
                    + FollowerSettings.DEFAULT_MAX_LINE_BYTES + ": skipped");
            numbers.skipped(offset, offset + length + 1);
            handedOn = offset + length + 1;
        }

        @Override
        public void line(byte[] buffer, int start, int end) throws IOException {
            parsed++;
            byte[] eventBytes = buffer;
            int from = start;
            int to = end;
            Optional<MatchedEvent.DeadLetter> deadLetter = Optional.empty();
            AuditEvent event;
            try {
                if (file.format() == InputFile.Format.DEAD_LETTER) {
                    DeadLetterRecord record = DeadLetterRecord.parse(buffer, start, end);
                    deadLetter = Optional.of(record.about());
                    eventBytes = record.line();
                    from = 0;
                    to = eventBytes.length;
                }
                event = parser.parse(eventBytes, from, to);
            } catch (EventParser.NotAnEventException e) {
                // Only a problem that is shown needs its line counted; a column would point into the record, not the event.
                boolean inRecord = deadLetter.isPresent();
                problem(file, problemsInFile < PROBLEMS_SHOWN_PER_FILE ? lineOf(start) : 0, inRecord ? 0 : e.column(),
                        (inRecord ? "the dead-lettered line: " : "") + e.getMessage());
                return;
            }
            if (!filter.matches(event)) {
                return;
            }
            matched++;
            long line = out.wantsLineNumbers() ? lineOf(start) : 0;
            out.event(new MatchedEvent(event, eventBytes, from, to, file, line, deadLetter));
        }

        private long lineOf(int start) throws IOException {
            return numbers.lineAt(chunkOffset + (start - chunkFrom), chunk, chunkFrom, chunkOffset);
        }

        /** The line after the last one handed on: where a broken compressed file stops making sense. */
        long nextLine() throws IOException {
            return numbers.lineAtSkipped(handedOn);
        }
    }
}
