package io.kubeaudit.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** The time a wait loop reads and the way it pauses; tests pass a fake whose sleep only advances its clock. */
public interface WaitClock extends InstantSource {

    void sleep(Duration duration) throws InterruptedException;

    static WaitClock system() {
        return new WaitClock() {
            @Override
            public Instant instant() {
                return Instant.now();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(Math.max(0, duration.toMillis()));
            }
        };
    }
}
