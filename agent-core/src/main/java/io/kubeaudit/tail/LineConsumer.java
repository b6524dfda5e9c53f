package io.kubeaudit.tail;

/** Takes the lines a {@link Follower} reads, in order. */
public interface LineConsumer {

    /**
     * Takes one line. May block: that is backpressure. The follower then simply waits; the log on
     * disk is the buffer and nothing else reads ahead in memory.
     *
     * @throws InterruptedException when the follower is closed while this call blocks
     */
    void accept(LogLine line) throws InterruptedException;
}
