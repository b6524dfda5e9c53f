package io.kubeaudit.apply;

import java.util.Objects;

/**
 * How a command ended.
 *
 * @param exitCode the exit status (-1 when it was killed after the timeout)
 * @param output   stdout and stderr interleaved, cut to a bounded size
 * @param timedOut true when it did not finish in time and was killed
 */
public record ProcessResult(int exitCode, String output, boolean timedOut) {

    public ProcessResult {
        Objects.requireNonNull(output, "output");
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** One line for a progress or error message: the status and the last non-blank line of output. */
    public String summary() {
        String status = timedOut ? "timed out" : "exit " + exitCode;
        String last = output.strip().lines().reduce((a, b) -> b).orElse("").strip();
        return last.isEmpty() ? status : status + ": " + last;
    }
}
