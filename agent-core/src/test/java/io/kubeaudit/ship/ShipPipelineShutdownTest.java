package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.ship.http.ScriptedHttpDestination;
import io.kubeaudit.ship.http.ScriptedHttpDestination.Answer;
import io.kubeaudit.time.FakeTicker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping is bounded by the shutdown timeout, even with a destination that never answers. */
class ShipPipelineShutdownTest {

    @TempDir
    Path dir;

    @Test
    void aHangingRequestIsCutOffSoStoppingEndsAtTheDeadline() throws Exception {
        FakeTicker ticker = FakeTicker.manual();
        try (ScriptedHttpDestination d = ScriptedHttpDestination.start(r -> new Answer.Hang())) {
            DestinationConfig hanging = new DestinationConfig("siem", "webhook", d.url("/audit"), false, "", "", "", "", Map.of(),
                    Duration.ofSeconds(2), Duration.ofMinutes(10), 3L << 20);
            try (PipelineHarness h = PipelineHarness.builder(dir).clock(ticker, Duration.ofMinutes(5)).destination(hanging).start()) {
                new LineFeeder(h.pipeline.intake()).feed(AuditLines.events(0, 100), Optional.empty());
                long realDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (d.requests().isEmpty() && System.nanoTime() < realDeadline) {
                    Thread.sleep(5);
                }
                assertEquals(1, d.requests().size(), "a full batch is in flight");
                AtomicBoolean drained = new AtomicBoolean(true);
                long deadline = ticker.deadline(Duration.ofSeconds(10));
                Thread stopping = new Thread(() -> {
                    try {
                        drained.set(h.stopBy(deadline));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                stopping.start();
                ticker.advance(Duration.ofMillis(9_400));
                assertTrue(stopping.isAlive(), "before the drain deadline the batch may still finish");
                ticker.advance(Duration.ofMillis(600));
                stopping.join(20_000);
                assertFalse(stopping.isAlive(), "at the deadline the request is cut off and stopping ends; nothing waits past it");
                assertFalse(drained.get());
                assertTrue(h.readerCheckpoint().isEmpty(), "the cut-off batch is not acknowledged: it is sent again after the restart");
                assertTrue(h.logs().contains("shutdown deadline reached"), h.logs());
            }
        }
    }

    @Test
    void theAbortReserveIsATenthAtMostHalfASecond() {
        assertEquals(Duration.ofMillis(500), ShipPipeline.abortReserve(Duration.ofSeconds(10)));
        assertEquals(Duration.ofMillis(100), ShipPipeline.abortReserve(Duration.ofSeconds(1)));
        assertEquals(Duration.ZERO, ShipPipeline.abortReserve(Duration.ZERO));
    }
}
