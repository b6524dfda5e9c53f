package io.kubeaudit.apply.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.apply.observe.FileTail;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Proof that auditing works, not only that the server is up: the audit log holds an event the server
 * recorded after the swap. The health command's own request is usually that event.
 */
public final class AuditEventCheck implements HealthCheck {

    /** The newest events are at the end; this much of the file is enough to find one. */
    private static final int TAIL_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path logFile;
    private final String nodePath;
    private final Instant since;

    /**
     * @param logFile  host path of the audit log
     * @param nodePath the same log as the node names it, for messages
     * @param since    the swap: an event must be stamped at or after it
     */
    public AuditEventCheck(Path logFile, String nodePath, Instant since) {
        this.logFile = logFile;
        this.nodePath = nodePath;
        // The server stamps events in microseconds.
        this.since = since.truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String name() {
        return "a new event in " + nodePath;
    }

    @Override
    public Result check(Duration timeout) {
        List<String> lines;
        try {
            lines = FileTail.lines(logFile, TAIL_BYTES);
        } catch (NoSuchFileException e) {
            return Result.failed("no audit log at " + nodePath + " yet");
        } catch (IOException e) {
            return Result.failed("cannot read " + nodePath + ": " + e.getMessage());
        }
        Instant newest = null;
        for (int i = lines.size() - 1; i >= 0 && newest == null; i--) {
            newest = stamp(lines.get(i));
        }
        if (newest == null) {
            return Result.failed("no audit event in " + nodePath + " yet");
        }
        if (newest.isBefore(since)) {
            return Result.failed("the newest event in " + nodePath + " is from " + newest + ", before the change at " + since);
        }
        return Result.ok("audit event at " + newest + " in " + nodePath);
    }

    /** When the server recorded the event (stageTimestamp), or null for a line that is not a whole event. */
    private static Instant stamp(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode event = JSON.readTree(line);
            JsonNode t = event.path("stageTimestamp");
            if (!t.isTextual()) {
                t = event.path("requestReceivedTimestamp");
            }
            return t.isTextual() ? Instant.parse(t.asText()) : null;
        } catch (IOException | DateTimeParseException e) {
            // A line still being written, or not JSON: it proves nothing either way.
            return null;
        }
    }
}
