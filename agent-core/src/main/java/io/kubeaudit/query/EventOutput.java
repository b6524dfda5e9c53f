package io.kubeaudit.query;

import java.io.IOException;

/** Where matched events go: a table, explanations, the raw events, or counts. */
public interface EventOutput {

    void event(MatchedEvent event) throws IOException;

    /** Whether {@link MatchedEvent#line()} is wanted: counting lines costs a pass over the file. */
    default boolean wantsLineNumbers() {
        return false;
    }

    /** The input is caught up for now ({@code --follow}): show what is held back. */
    void flush() throws IOException;

    /** The query is over. */
    void finish() throws IOException;
}
