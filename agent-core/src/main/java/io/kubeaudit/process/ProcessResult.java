package io.kubeaudit.process;

import java.util.Objects;

/**
 * How a command ended.
 *
 * @param exitCode the exit status (-1 when it was killed after the timeout)
 * @param output   stdout, with stderr interleaved unless the call kept it apart; cut to a bounded size
 * @param errors   stderr when the call kept it apart, else empty; cut to a bounded size
 * @param timedOut true when it did not finish in time and was killed
 */
public record ProcessResult(int exitCode, String output, String errors, boolean timedOut) {

    public ProcessResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(errors, "errors");
    }

    /** A result with the output interleaved (nothing kept apart as errors). */
    public ProcessResult(int exitCode, String output, boolean timedOut) {
        this(exitCode, output, "", timedOut);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** One line for a progress or error message: the status and the last non-blank line of the errors, else of the output. */
    public String summary() {
        String status = timedOut ? "timed out" : "exit " + exitCode;
        String last = lastLine(errors);
        if (last.isEmpty()) {
            last = lastLine(output);
        }
        return last.isEmpty() ? status : status + ": " + last;
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("").strip();
    }
}
