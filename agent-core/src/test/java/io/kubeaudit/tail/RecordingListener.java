package io.kubeaudit.tail;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records every report as a line of text ("lost <path> <bytes> <reason>"), for assertions. */
final class RecordingListener implements TailListener {

    private final List<String> events = new ArrayList<>();
    private long lines;
    private String lastBacklog;

    @Override
    public void opened(String path, long offset, boolean compressed) {
        add("opened " + path + " " + offset + (compressed ? " gz" : ""));
    }

    @Override
    public synchronized void linesRead(long count, long bytes) {
        lines += count;
    }

    @Override
    public void rotated(String path, String renamedTo) {
        add("rotated " + path + " -> " + renamedTo);
    }

    @Override
    public void finished(String path, long endOffset) {
        add("finished " + path + " " + endOffset);
    }

    @Override
    public void truncated(String path, long offset, long size) {
        add("truncated " + path + " " + offset + " " + size);
    }

    @Override
    public void lost(String path, long bytes, String reason) {
        add("lost " + path + " " + bytes + " " + reason);
    }

    @Override
    public void lineTooLong(String path, long offset, long length, byte[] head) {
        add("tooLong " + path + " " + offset + " " + length + " " + new String(head, 0, Math.min(head.length, 40)));
    }

    @Override
    public void waiting(String path, String reason) {
        add("waiting " + path + " " + reason);
    }

    @Override
    public void openFileLimitReached(String path, int limit) {
        add("limit " + path + " " + limit);
    }

    /** Recorded only when it changes: every scan reports it. */
    @Override
    public synchronized void backlog(long unreadBytes, int unreadFiles) {
        String event = "backlog " + unreadBytes + " " + unreadFiles;
        if (!event.equals(lastBacklog)) {
            lastBacklog = event;
            add(event);
        }
    }

    private synchronized void add(String event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<String> events(String kind) {
        return events.stream().filter(e -> e.startsWith(kind + " ")).toList();
    }

    synchronized long linesCounted() {
        return lines;
    }

    synchronized String await(String what, Predicate<String> event) throws InterruptedException {
        long deadline = System.currentTimeMillis() + CollectingConsumer.WAIT_MILLIS;
        while (true) {
            for (String e : events) {
                if (event.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                fail("no report of " + what + "; got " + events);
            }
            wait(left);
        }
    }
}
