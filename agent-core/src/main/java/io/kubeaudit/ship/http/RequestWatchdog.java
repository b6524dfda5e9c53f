package io.kubeaudit.ship.http;

import io.kubeaudit.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Cuts off requests that run past their deadline. {@code HttpURLConnection}'s read timeout does not
 * cover a server that stops reading the body mid-write, nor a server that trickles its answer, so
 * every request arms a deadline here and disarms it when it ends; at the deadline its connection is
 * disconnected and the sender's blocked read or write fails at once. On a forced shutdown
 * {@link #cutAll} ends every request still running the same way. One thread for all destinations;
 * requests in flight are few (maxInFlight each), so the queue stays tiny.
 */
public final class RequestWatchdog implements AutoCloseable {

    private final Ticker ticker;
    private final Thread thread;
    // Guarded by this.
    private final PriorityQueue<Deadline> armed = new PriorityQueue<>();
    private long armedCount;
    private boolean closed;

    public RequestWatchdog(Ticker ticker) {
        this.ticker = ticker;
        this.thread = new Thread(this::run, "ship-request-deadline");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code cut} (once, on the watchdog's thread) unless the returned deadline is disarmed within {@code timeout}. */
    public synchronized Deadline arm(Duration timeout, Runnable cut) {
        Deadline d = new Deadline(ticker.deadline(timeout), armedCount++, cut);
        armed.add(d);
        notifyAll();
        return d;
    }

    /** Forced shutdown: cuts every request still running, now. */
    public void cutAll() {
        List<Deadline> all;
        synchronized (this) {
            all = new ArrayList<>(armed);
            armed.clear();
            all.forEach(d -> d.fired = true);
        }
        all.forEach(d -> d.cut.run());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.interrupt();
    }

    private void run() {
        try {
            while (true) {
                List<Deadline> due = awaitDue();
                if (due.isEmpty()) {
                    return;
                }
                due.forEach(d -> d.cut.run());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The deadlines that passed, marked fired; empty once closed. */
    private synchronized List<Deadline> awaitDue() throws InterruptedException {
        while (!closed) {
            Deadline next = armed.peek();
            if (next == null) {
                wait();
            } else if (ticker.nanoTime() < next.at) {
                ticker.waitUntil(this, next.at);
            } else {
                List<Deadline> due = new ArrayList<>();
                long now = ticker.nanoTime();
                while (!armed.isEmpty() && armed.peek().at <= now) {
                    Deadline d = armed.poll();
                    d.fired = true;
                    due.add(d);
                }
                return due;
            }
        }
        return List.of();
    }

    /** One request's deadline. */
    public final class Deadline implements Comparable<Deadline> {
        private final long at;
        private final long order;
        private final Runnable cut;
        // Guarded by the watchdog.
        private boolean fired;

        private Deadline(long at, long order, Runnable cut) {
            this.at = at;
            this.order = order;
            this.cut = cut;
        }

        /** The request ended: no cut. */
        public void disarm() {
            synchronized (RequestWatchdog.this) {
                armed.remove(this);
            }
        }

        /** Whether the request was cut off (at its deadline or by {@link #cutAll}). */
        public boolean fired() {
            synchronized (RequestWatchdog.this) {
                return fired;
            }
        }

        @Override
        public int compareTo(Deadline o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }
}
