package io.kubeaudit.ship.http;

import java.io.IOException;

/**
 * The answer ended before it was whole (the connection closed after the status line, or the body is
 * shorter than its Content-Length): nothing says the destination kept the events, so it is retried.
 */
public final class IncompleteResponseException extends IOException {

    public IncompleteResponseException(String message) {
        super(message);
    }

    public IncompleteResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
