package io.kubeaudit.query;

import io.kubeaudit.config.ShipConfig.StartPosition;
import io.kubeaudit.tail.FileId;
import io.kubeaudit.tail.Follower;
import io.kubeaudit.tail.FollowerSettings;
import io.kubeaudit.tail.LogLine;
import io.kubeaudit.tail.TailException;
import io.kubeaudit.tail.TailListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code query --follow}: a live, filtered view of the log. The shipper's {@link Follower} reads every
 * retained backup and the live log, then keeps reading as the server writes, across rotations and
 * compression; each line goes through the same pre-filter, parse and filter as a one-off query, and
 * every match is shown at once. Runs until {@link #close()} (or the process is stopped).
 */
public final class FollowQuery implements AutoCloseable {

    private final Follower follower;

    public FollowQuery(Path liveLog, Optional<String> node, EventFilter filter, EventParser parser, EventOutput out,
                       Consumer<Problem> problems, InstantSource clock) {
        Prefilter prefilter = filter.prefilter();
        InputFile file = new InputFile(liveLog, InputFile.Format.PLAIN, Optional.empty(), true, node);
        this.follower = new Follower(FollowerSettings.defaults(liveLog, StartPosition.BEGINNING), Optional.empty(),
                new Matcher(file, prefilter, filter, parser, out, problems), new Reporter(problems), clock);
    }

    /** Follows until closed. */
    public void run() throws TailException {
        follower.run();
    }

    @Override
    public void close() {
        follower.close();
    }

    private static final class Matcher implements io.kubeaudit.tail.LineConsumer {
        private final InputFile file;
        private final Prefilter prefilter;
        private final EventFilter filter;
        private final EventParser parser;
        private final EventOutput out;
        private final Consumer<Problem> problems;
        private FileId current;
        private long line;

        Matcher(InputFile file, Prefilter prefilter, EventFilter filter, EventParser parser, EventOutput out,
                Consumer<Problem> problems) {
            this.file = file;
            this.prefilter = prefilter;
            this.filter = filter;
            this.parser = parser;
            this.out = out;
            this.problems = problems;
        }

        @Override
        public void accept(LogLine logLine) {
            // Every file is read from its start, so a line at offset 0 is the first of a file (or of a truncated one).
            line = logLine.offset() == 0 || !logLine.file().equals(current) ? 1 : line + 1;
            current = logLine.file();
            byte[] bytes = logLine.bytes();
            if (!prefilter.accepts(bytes, 0, bytes.length)) {
                return;
            }
            AuditEvent event;
            try {
                event = parser.parse(bytes, 0, bytes.length);
            } catch (EventParser.NotAnEventException e) {
                problems.accept(new Problem(logLine.path(), line, e.column(), e.getMessage()));
                return;
            }
            if (!filter.matches(event)) {
                return;
            }
            InputFile from = new InputFile(Path.of(logLine.path()), file.format(), Optional.empty(), true, file.node());
            try {
                out.event(new MatchedEvent(event, bytes, 0, bytes.length, from, line, Optional.empty()));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("writing the output failed", e);
            }
        }
    }

    /** What the follower reports that a person watching should know: lost and skipped lines, and why nothing comes. */
    private record Reporter(Consumer<Problem> problems) implements TailListener {
        @Override
        public void truncated(String path, long offset, long size) {
            problems.accept(new Problem(path, 0, 0, "truncated from " + offset + " to " + size + " bytes: reading again from the start"));
        }

        @Override
        public void lost(String path, long bytes, String reason) {
            problems.accept(new Problem(path, 0, 0, "events lost" + (bytes > 0 ? " (" + bytes + " bytes)" : "") + ": " + reason));
        }

        @Override
        public void lineTooLong(String path, long offset, long length, byte[] head) {
            problems.accept(new Problem(path, 0, 0, "a line of " + length + " bytes at offset " + offset + " is longer than the limit: skipped"));
        }

        @Override
        public void opened(String path, long offset, boolean compressed) {
        }

        @Override
        public void linesRead(long lines, long bytes) {
        }

        @Override
        public void rotated(String path, String renamedTo) {
        }

        @Override
        public void finished(String path, long endOffset) {
        }

        @Override
        public void waiting(String path, String reason) {
            problems.accept(new Problem(path, 0, 0, "waiting: " + reason));
        }

        @Override
        public void openFileLimitReached(String path, int limit) {
        }

        @Override
        public void backlog(long unreadBytes, int unreadFiles) {
        }
    }
}
