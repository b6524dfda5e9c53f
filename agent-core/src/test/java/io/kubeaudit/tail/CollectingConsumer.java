package io.kubeaudit.tail;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps every line; can hold the follower (backpressure) before a given line until released. */
final class CollectingConsumer implements LineConsumer {

    static final long WAIT_MILLIS = 20_000;

    private final List<LogLine> lines = new ArrayList<>();
    private long holdBefore = Long.MAX_VALUE;
    private boolean holding;

    @Override
    public synchronized void accept(LogLine line) throws InterruptedException {
        while (lines.size() >= holdBefore) {
            holding = true;
            notifyAll();
            wait();
        }
        holding = false;
        lines.add(line);
        notifyAll();
    }

    /** Blocks the follower when it hands on line number {@code count} (0-based) until {@link #release()}. */
    synchronized void holdAt(long count) {
        holdBefore = count;
    }

    synchronized void release() {
        holdBefore = Long.MAX_VALUE;
        notifyAll();
    }

    /** Waits until the follower is blocked in accept. */
    synchronized void awaitHolding() throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!holding) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                fail("the follower never blocked in accept; got " + lines.size() + " lines");
            }
            wait(left);
        }
    }

    /** The lines once there are {@code count}, or what came within the wait (the caller's comparison then shows the gap). */
    synchronized List<LogLine> awaitCount(int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (lines.size() < count) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return List.copyOf(lines);
    }

    synchronized List<LogLine> lines() {
        return List.copyOf(lines);
    }

    synchronized List<String> texts() {
        return lines.stream().map(CollectingConsumer::text).toList();
    }

    static String text(LogLine line) {
        return new String(line.bytes(), StandardCharsets.UTF_8);
    }

    static List<String> texts(List<LogLine> lines) {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> out.add(text(l)));
        return out;
    }
}
