package io.kubeaudit.ship.sink;

import java.util.List;

/** The events of one request, in log order, as a sink sees them. Per-event outcomes are given in this order. */
public interface SinkBatch {

    List<? extends SinkEvent> events();

    default int size() {
        return events().size();
    }

    /** Bytes {@link SinkEvent#writeTo} writes for all events together (separators and envelope excluded). */
    long bytes();
}
