package io.kubeaudit.daemon;

import com.sun.jna.Pointer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP for reloads, also in a process started with SIGHUP ignored (nohup, some supervisors): the JVM does not
 * install a handler for a signal that was ignored at start (Signal.handle then silently does nothing), so the
 * disposition is first set back to the default through libc, and the caller is told, so it can warn.
 */
public final class HangupSignal {

    private static final int SIGHUP = 1;
    private static final long SIG_IGN = 1;

    private HangupSignal() {
    }

    /** Installs {@code handler} for SIGHUP; returns true when SIGHUP was ignored until now. */
    public static boolean handle(SignalHandler handler) {
        Pointer previous = LibC.INSTANCE.signal(SIGHUP, null);
        boolean wasIgnored = previous != null && Pointer.nativeValue(previous) == SIG_IGN;
        Signal.handle(new Signal("HUP"), handler);
        return wasIgnored;
    }

    /** The warning to log when {@link #handle} returned true. */
    public static String ignoredAtStartWarning() {
        return "SIGHUP was ignored when the agent started (nohup or the supervisor); the agent handles it anyway, so SIGHUP reloads the config";
    }
}
