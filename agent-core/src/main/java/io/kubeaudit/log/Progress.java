package io.kubeaudit.log;

import java.io.PrintStream;

/**
 * Progress lines with a fixed phase prefix ({@code [setup/health] ...}), so an operator watching a
 * long wait (or grepping a log) sees which step the transaction is in.
 */
public final class Progress {

    private final PrintStream out;
    private final String command;

    public Progress(PrintStream out, String command) {
        this.out = out;
        this.command = command;
    }

    public void say(String phase, String text) {
        out.println("[" + command + "/" + phase + "] " + text);
        out.flush();
    }
}
