package io.kubeaudit.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One command for a {@link ProcessRunner}: what to run, how long it may take, and how its output is kept.
 *
 * @param command        the program and its arguments
 * @param timeout        how long it may run before it (and its children) are killed
 * @param separateErrors true to keep stderr apart from stdout (a program whose stdout is data, like
 *                       {@code kubectl get --raw}); false to interleave them, as a person would read them
 * @param maxOutputBytes how much of each stream is kept; the rest is read and dropped, so a chatty
 *                       command cannot exhaust memory
 */
public record ProcessCall(List<String> command, Duration timeout, boolean separateErrors, int maxOutputBytes) {

    /** Enough for any diagnostic a person reads (a journal excerpt, an error). */
    static final int READABLE_OUTPUT_BYTES = 64 * 1024;

    public ProcessCall {
        command = List.copyOf(command);
        Objects.requireNonNull(timeout, "timeout");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a process call needs a command");
        }
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("maxOutputBytes must be positive, got " + maxOutputBytes);
        }
    }

    /** stdout and stderr interleaved, the first 64 KiB: for output people read. */
    public static ProcessCall readable(List<String> command, Duration timeout) {
        return new ProcessCall(command, timeout, false, READABLE_OUTPUT_BYTES);
    }

    /** stdout (data) apart from stderr (errors), each up to {@code maxOutputBytes}. */
    public static ProcessCall data(List<String> command, Duration timeout, int maxOutputBytes) {
        return new ProcessCall(command, timeout, true, maxOutputBytes);
    }
}
