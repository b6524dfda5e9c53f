package io.kubeaudit.ship;

/** An event that cannot be sent as JSON: its full parse failed. It goes to the dead-letter file. */
final class InvalidEventException extends Exception {

    InvalidEventException(String reason) {
        super(reason);
    }
}
