package io.kubeaudit.ship;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Tells the shipper to stop: a signal (no reason) or a failure (the first reason wins). Safe from any thread. */
final class StopSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();

    void stop() {
        requested.countDown();
    }

    /** @return true when this was the first failure (log it once) */
    boolean fail(String reason) {
        boolean first = failure.compareAndSet(null, reason);
        requested.countDown();
        return first;
    }

    void await() throws InterruptedException {
        requested.await();
    }

    Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }
}
