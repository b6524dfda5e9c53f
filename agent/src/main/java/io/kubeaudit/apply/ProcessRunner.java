package io.kubeaudit.apply;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a command on the node (kubectl, journalctl, crictl); injected so tests can use fakes that fail on call N. */
public interface ProcessRunner {

    /**
     * Runs {@code command} and waits at most {@code timeout}; a command still running then is killed.
     *
     * @throws IOException when the command cannot be started at all
     */
    ProcessResult run(List<String> command, Duration timeout) throws IOException, InterruptedException;

    static ProcessRunner system() {
        return new SystemProcessRunner();
    }
}
