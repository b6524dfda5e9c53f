package io.kubeaudit.daemon;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Turns SIGTERM/SIGINT into a stop and SIGHUP into a reload, posted to the daemon's main loop. Handling
 * SIGTERM ourselves replaces the JVM's default exit, so the stop runs in order (stop reading, flush,
 * checkpoint) instead of racing shutdown hooks. The handlers only post; all work happens in the loop.
 */
final class SignalRelay {

    private SignalRelay() {
    }

    /** @return true when SIGHUP was ignored at start (it reloads all the same; the caller warns) */
    static boolean install(Consumer<DaemonEvent> post) {
        Signal.handle(new Signal("TERM"), s -> post.accept(new DaemonEvent.StopRequested("SIGTERM")));
        Signal.handle(new Signal("INT"), s -> post.accept(new DaemonEvent.StopRequested("SIGINT")));
        return HangupSignal.handle(s -> post.accept(new DaemonEvent.ReloadRequested()));
    }
}
