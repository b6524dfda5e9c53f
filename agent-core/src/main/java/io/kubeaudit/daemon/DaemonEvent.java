package io.kubeaudit.daemon;

/** What the daemon's main loop reacts to; posted by signal handlers, timers, the file watcher and the setup worker. */
sealed interface DaemonEvent {

    record ReconcileRequested(ReconcileResult.Trigger trigger) implements DaemonEvent {
    }

    record ReconcileDone(ReconcileResult result) implements DaemonEvent {
    }

    record ReloadRequested() implements DaemonEvent {
    }

    record StopRequested(String why) implements DaemonEvent {
    }

    record ShippingFailed(String why) implements DaemonEvent {
    }
}
