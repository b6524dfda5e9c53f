package io.kubeaudit.ship.sink;

/** A destination cannot be set up from its configuration; the message names it and the setting or file at fault. */
public final class SinkSetupException extends Exception {

    public SinkSetupException(String message) {
        super(message);
    }

    public SinkSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
