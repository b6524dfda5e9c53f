package io.kubeaudit.apply;

import io.kubeaudit.time.WaitClock;
import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when the code under test sleeps (or a check takes "time"). */
public final class FakeClock implements WaitClock {

    private Instant now;
    private Duration slept = Duration.ZERO;

    public FakeClock(Instant start) {
        now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        now = now.plus(duration);
        slept = slept.plus(duration);
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public synchronized Duration slept() {
        return slept;
    }
}
