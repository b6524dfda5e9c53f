package io.kubeaudit.apply;

/** What a transaction does to the API server's audit configuration; its name prefixes progress lines. */
public enum Operation {
    /** Turn auditing on, or bring it to the configured policy and settings. */
    SETUP("setup"),
    /** Remove what setup added. */
    TEARDOWN("teardown");

    private final String command;

    Operation(String command) {
        this.command = command;
    }

    public String command() {
        return command;
    }
}
