package io.kubeaudit.daemon;

import java.time.Instant;
import java.util.Optional;

/**
 * Compares what the API server says it audited with what the agent read from its log, between two
 * samples: {@code apiserver_audit_event_total} grows by one per event the server handed to its log
 * backend, so over a window in which shipping was caught up at both ends, the lines read must grow by
 * as much; {@code apiserver_audit_error_total} growing means events the server failed to write (a full
 * or read-only disk). Samples across a server restart (counters going down) or an agent with a backlog
 * are not compared. Owned by the daemon's timer thread.
 */
final class AuditCrossCheck {

    /** Events written between the two reads of a sample (the metric and the log are not read atomically). */
    static final long SLACK_EVENTS = 50;

    /** The server's counters and the agent's reading position at one moment. */
    record Sample(Instant at, double serverEvents, double serverErrors, long eventsRead, long lagBytes) {
    }

    private Sample previous;

    /** Adds a sample; returns a finding when it and the previous one can be compared. */
    Optional<CrossCheckResult> add(Sample next) {
        Sample prev = previous;
        previous = next;
        if (prev == null || next.serverEvents() < prev.serverEvents() || next.eventsRead() < prev.eventsRead()) {
            // First sample, or the server or the agent restarted: counters start again.
            return Optional.empty();
        }
        long server = Math.round(next.serverEvents() - prev.serverEvents());
        long read = next.eventsRead() - prev.eventsRead();
        long errors = Math.round(next.serverErrors() - prev.serverErrors());
        if (errors > 0) {
            return Optional.of(new CrossCheckResult(prev.at(), next.at(), server, read, errors, false, "the API server failed to write " + errors
                    + " audit events (apiserver_audit_error_total): its log disk may be full or read-only"));
        }
        if (prev.lagBytes() > 0 || next.lagBytes() > 0) {
            // A backlog at either end: reading lags writing, the counts cannot match yet.
            return Optional.empty();
        }
        if (Math.abs(server - read) > SLACK_EVENTS) {
            return Optional.of(new CrossCheckResult(prev.at(), next.at(), server, read, 0, false, "the API server audited " + server
                    + " events but " + read + " lines reached the audit log the agent reads: check audit.logPath, the log"
                    + " mount and other audit backends' settings"));
        }
        return Optional.of(new CrossCheckResult(prev.at(), next.at(), server, read, 0, true, "the API server's audit counters match the lines read"));
    }
}
