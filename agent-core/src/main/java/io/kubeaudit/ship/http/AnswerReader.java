package io.kubeaudit.ship.http;

import io.kubeaudit.ship.sink.Outcome;

/** How one destination reads a complete answer (Vector's per-sink retry logic); the shared part is {@link StatusClassifier}. */
@FunctionalInterface
public interface AnswerReader {

    Outcome read(HttpResponse response);
}
