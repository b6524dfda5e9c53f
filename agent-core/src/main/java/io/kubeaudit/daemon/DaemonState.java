package io.kubeaudit.daemon;

import java.util.Locale;

/** Where the daemon is in its life, as {@code status} shows it ({@link DaemonStatus#state()} holds the text). */
enum DaemonState {
    STARTING, RUNNING, RELOADING, STOPPING, STOPPED;

    /** The spelling in the status file. */
    String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
