package io.kubeaudit.tail;

/** The follower cannot go on; the message says what it tried, on which file, and what to do. */
public final class TailException extends Exception {

    public TailException(String message, Throwable cause) {
        super(message, cause);
    }
}
