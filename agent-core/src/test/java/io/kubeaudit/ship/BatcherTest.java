package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.BatchConfig;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkBatch;
import io.kubeaudit.time.FakeTicker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batcher on a fake clock: a batch closes at maxEvents at once, or maxWait after its first event, never earlier. */
class BatcherTest {

    @TempDir
    Path dir;

    private final BlockingQueue<Batch> cut = new LinkedBlockingQueue<>();

    @Test
    void aPartBatchWaitsExactlyMaxWaitAfterItsFirstEvent() throws Exception {
        FakeTicker ticker = FakeTicker.manual();
        try (DeliveryHarness h = new DeliveryHarness(dir, nothing(), ticker)) {
            Thread batcher = start(h, new BatchConfig(100, 1 << 20, Duration.ofSeconds(1), 4));
            h.queue(AuditLines.events(0, 3));
            awaitTaken(h);
            ticker.advance(Duration.ofMillis(999));
            assertEquals(null, cut.poll(), "not before maxWait: the batch can still fill");
            h.queue(AuditLines.events(3, 2));
            ticker.advance(Duration.ofMillis(1));
            Batch b = cut.poll(10, TimeUnit.SECONDS);
            assertEquals(5, b.size(), "events that came while it waited are in it");
            batcher.interrupt();
        }
    }

    @Test
    void aFullBatchIsCutWithoutWaiting() throws Exception {
        FakeTicker ticker = FakeTicker.manual();
        try (DeliveryHarness h = new DeliveryHarness(dir, nothing(), ticker)) {
            Thread batcher = start(h, new BatchConfig(10, 1 << 20, Duration.ofHours(1), 4));
            h.queue(AuditLines.events(0, 25));
            assertEquals(10, cut.poll(10, TimeUnit.SECONDS).size());
            assertEquals(10, cut.poll(10, TimeUnit.SECONDS).size());
            assertEquals(null, cut.poll(), "the last five wait for more, the clock has not moved");
            h.queue.close();
            assertEquals(5, cut.poll(10, TimeUnit.SECONDS).size(), "closing the queue flushes them without waiting");
            batcher.join(10_000);
            assertTrue(!batcher.isAlive());
        }
    }

    private Thread start(DeliveryHarness h, BatchConfig limits) {
        Batcher batcher = new Batcher(h.queue.lane(DeliveryHarness.DESTINATION), limits, h.preparer(), h.limiter, b -> new InFlightLimiter.Delivery() {
            @Override
            public Batch batch() {
                return b;
            }

            @Override
            public void run() {
                cut.add(b);
                h.settlement.delivered(b);
            }
        }, h.context);
        Thread t = new Thread(batcher, "batcher");
        t.start();
        return t;
    }

    private static void awaitTaken(DeliveryHarness h) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.queue.lane(DeliveryHarness.DESTINATION).waitingEvents() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(0, h.queue.lane(DeliveryHarness.DESTINATION).waitingEvents(), "the batcher took the events into its batch");
    }

    private static Sink nothing() {
        return new Sink() {
            @Override
            public Outcome send(SinkBatch batch) {
                throw new AssertionError("the batcher does not send");
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "none";
            }
        };
    }
}
