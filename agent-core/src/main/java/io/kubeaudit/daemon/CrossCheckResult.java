package io.kubeaudit.daemon;

import java.time.Instant;

/**
 * One comparison of the API server's audit counters with the lines the agent read, over a window.
 *
 * @param serverEvents events the server audited in the window ({@code apiserver_audit_event_total})
 * @param eventsRead   lines the agent read from the audit log in the window
 * @param serverErrors events the server failed to write in the window ({@code apiserver_audit_error_total})
 */
public record CrossCheckResult(Instant from, Instant to, long serverEvents, long eventsRead, long serverErrors, boolean consistent,
                               String detail) {
}
