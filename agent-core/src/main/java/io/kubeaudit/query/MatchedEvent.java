package io.kubeaudit.query;

import java.util.Optional;

/**
 * An event that passed the filter, with its own bytes ({@code bytes[start..end)}, valid only during the
 * call that hands it over) and where it was found.
 *
 * @param line the 1-based line in the file; 0 unless the output asked for line numbers
 */
public record MatchedEvent(AuditEvent event, byte[] bytes, int start, int end, InputFile file, long line,
                           Optional<DeadLetter> deadLetter) {

    /** What the agent's dead-letter record said about an event it could not deliver. */
    public record DeadLetter(String time, String destination, String reason, String file, long offset) {
    }
}
