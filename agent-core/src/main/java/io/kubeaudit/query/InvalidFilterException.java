package io.kubeaudit.query;

/** A filter value that cannot mean anything (a malformed status, time or address): the message says what is accepted. */
public final class InvalidFilterException extends Exception {

    public InvalidFilterException(String message) {
        super(message);
    }
}
