package io.kubeaudit.tail;

public interface LineConsumer {
    void accept(LogLine line) throws InterruptedException;
}
