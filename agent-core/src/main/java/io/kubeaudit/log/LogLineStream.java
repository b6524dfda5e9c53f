package io.kubeaudit.log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A PrintStream for code that reports progress as lines ({@code [setup/health] waiting ...}): each
 * line becomes one log event, its bracketed prefix the phase. Lets the daemon run the same
 * transaction the CLI runs and still log one redacted line per event.
 */
public final class LogLineStream extends OutputStream {

    private final Log log;
    private final String defaultPhase;
    /** Guarded by {@code this}. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LogLineStream(Log log, String defaultPhase) {
        this.log = log;
        this.defaultPhase = defaultPhase;
    }

    public static PrintStream to(Log log, String defaultPhase) {
        return new PrintStream(new LogLineStream(log, defaultPhase), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        // Lines are emitted at their newline; a partial line waits for the rest.
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
        line.reset();
        if (text.isBlank()) {
            return;
        }
        String phase = defaultPhase;
        int end = text.indexOf("] ");
        if (text.startsWith("[") && end > 1 && text.indexOf(' ') > end) {
            phase = text.substring(1, end);
            text = text.substring(end + 2);
        }
        log.info(phase, text);
    }
}
