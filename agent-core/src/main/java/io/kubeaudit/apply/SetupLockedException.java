package io.kubeaudit.apply;

/** Another setup or teardown holds the node's lock; the message names its PID. */
public final class SetupLockedException extends Exception {
    SetupLockedException(String message) {
        super(message);
    }
}
