package io.kubeaudit.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real child processes (/bin/sh) through the runner every command of the agent goes through. */
class SystemProcessRunnerIT {

    private static final Duration LONG = Duration.ofSeconds(30);
    private final ProcessRunner runner = ProcessRunner.system();

    private static List<String> sh(String script) {
        return List.of("/bin/sh", "-c", script);
    }

    @Test
    void readableOutputInterleavesBothStreams() throws Exception {
        ProcessResult r = runner.run(sh("echo one; echo two >&2; exit 3"), LONG);
        assertEquals("one\ntwo\n", r.output());
        assertEquals("", r.errors());
        assertEquals("exit 3: two", r.summary());
        assertFalse(r.succeeded());
    }

    @Test
    void dataKeepsStderrApartAndTheSummaryPrefersIt() throws Exception {
        ProcessResult r = runner.run(ProcessCall.data(sh("echo '{\"a\":1}'; echo 'Error from server (NotFound)' >&2; exit 1"), LONG, 1024));
        assertEquals("{\"a\":1}\n", r.output());
        assertEquals("Error from server (NotFound)\n", r.errors());
        assertEquals("exit 1: Error from server (NotFound)", r.summary());
    }

    @Test
    void outputBeyondTheCapIsReadAndDropped() throws Exception {
        ProcessResult r = runner.run(ProcessCall.data(sh("head -c 100000 /dev/zero | tr '\\0' x"), LONG, 1000));
        assertTrue(r.succeeded(), r.summary());
        assertEquals("x".repeat(1000), r.output());
    }

    @Test
    void aCommandOverItsTimeIsKilled() throws Exception {
        ProcessResult r = runner.run(sh("echo started; exec sleep 60"), Duration.ofMillis(300));
        assertTrue(r.timedOut());
        assertEquals(-1, r.exitCode());
        assertEquals("timed out: started", r.summary());
    }

    @Test
    void aMissingProgramCannotStart() {
        assertThrows(IOException.class, () -> runner.run(List.of("/nonexistent/kubectl"), LONG));
    }
}
