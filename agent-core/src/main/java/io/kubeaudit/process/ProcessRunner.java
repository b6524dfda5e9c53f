package io.kubeaudit.process;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a command on the node (kubectl, journalctl, crictl); injected so tests can use fakes that fail on call N. */
public interface ProcessRunner {

    /**
     * Runs {@code call} and waits at most its timeout; a command still running then is killed.
     *
     * @throws IOException when the command cannot be started at all
     */
    ProcessResult run(ProcessCall call) throws IOException, InterruptedException;

    /** Runs {@code command} with its output interleaved for a person to read ({@link ProcessCall#readable}). */
    default ProcessResult run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(ProcessCall.readable(command, timeout));
    }

    static ProcessRunner system() {
        return new SystemProcessRunner();
    }
}
