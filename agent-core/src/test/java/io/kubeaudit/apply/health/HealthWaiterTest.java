package io.kubeaudit.apply.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.apply.FakeClock;
import io.kubeaudit.apply.observe.RestartWatch;
import io.kubeaudit.log.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthWaiterTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final HealthWaiter waiter = new HealthWaiter(clock, new Progress(new PrintStream(printed, true, StandardCharsets.UTF_8), "setup"),
            new HealthWaiter.Settings(Duration.ofSeconds(30), Duration.ofMillis(500), 3, 3));

    /** Reports the scripted restart counts one poll at a time; the last one repeats. */
    private static final class ScriptedWatch implements RestartWatch {
        private final Deque<Integer> counts;
        private int last;

        ScriptedWatch(Integer... counts) {
            this.counts = new ArrayDeque<>(List.of(counts));
        }

        @Override
        public Restarts poll() {
            if (!counts.isEmpty()) {
                last = counts.poll();
            }
            return last == 0 ? Restarts.NONE : new Restarts(last, "container log " + last + ".log");
        }
    }

    /** Answers with the scripted results one call at a time; the last one repeats. */
    private static final class ScriptedCheck implements HealthCheck {
        private final Deque<Boolean> results;
        private boolean last;
        int calls;

        ScriptedCheck(Boolean... results) {
            this.results = new ArrayDeque<>(List.of(results));
        }

        @Override
        public String name() {
            return "kubectl get nodes";
        }

        @Override
        public Result check(Duration timeout) {
            calls++;
            if (!results.isEmpty()) {
                last = results.poll();
            }
            return last ? Result.ok("ok") : Result.failed("kubectl get nodes: exit 1: connection refused");
        }
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anOldServerAnsweringIsNotEnoughWithoutARestart() throws Exception {
        ScriptedCheck answers = new ScriptedCheck(true);
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the new configuration", new ScriptedWatch(0), HealthWaiter.Restart.REQUIRED,
                List.of(answers), Optional.empty()));
        HealthVerdict.Unhealthy u = assertInstanceOf(HealthVerdict.Unhealthy.class, v);
        assertEquals(HealthVerdict.Stage.NOT_RESTARTED, u.stage());
        assertEquals(0, answers.calls, "no point asking the old server");
        assertTrue(u.reason().contains("did not restart within 30s"), u.reason());
        assertTrue(printed().startsWith("[setup/health] waiting up to 30s"), printed());
    }

    @Test
    void healthyAfterRestartAndThreeAnswersInARowAndAnAuditEvent() throws Exception {
        ScriptedCheck answers = new ScriptedCheck(false, true, true, true);
        ScriptedCheck event = new ScriptedCheck(false, true);
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the new configuration", new ScriptedWatch(0, 0, 1), HealthWaiter.Restart.REQUIRED,
                List.of(answers), Optional.of(event)));
        HealthVerdict.Healthy h = assertInstanceOf(HealthVerdict.Healthy.class, v);
        assertTrue(h.restarted());
        assertEquals(4, answers.calls);
        assertEquals(2, event.calls);
        assertTrue(printed().contains("restart seen: container log 1.log"), printed());
        assertTrue(printed().contains("not yet: kubectl get nodes: exit 1"), printed());
    }

    @Test
    void aFurtherRestartStartsTheCountAgain() throws Exception {
        ScriptedCheck answers = new ScriptedCheck(true);
        // Restarted once, answered twice, then the container restarted again.
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the new configuration", new ScriptedWatch(1, 1, 2, 2, 2, 2), HealthWaiter.Restart.REQUIRED,
                List.of(answers), Optional.empty()));
        assertInstanceOf(HealthVerdict.Healthy.class, v);
        assertEquals(5, answers.calls, "two answers before the second restart do not count");
        assertTrue(printed().contains("restarted again"), printed());
    }

    @Test
    void aCrashLoopEndsTheWaitEarly() throws Exception {
        ScriptedCheck answers = new ScriptedCheck(false);
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the new configuration", new ScriptedWatch(1, 2, 3, 4), HealthWaiter.Restart.REQUIRED,
                List.of(answers), Optional.empty()));
        HealthVerdict.Unhealthy u = assertInstanceOf(HealthVerdict.Unhealthy.class, v);
        assertEquals(HealthVerdict.Stage.CRASH_LOOP, u.stage());
        assertTrue(clock.slept().compareTo(Duration.ofSeconds(5)) < 0, "did not wait for the timeout: " + clock.slept());
    }

    @Test
    void neverAnsweringTimesOutWithTheLastFailure() throws Exception {
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the new configuration", new ScriptedWatch(1), HealthWaiter.Restart.REQUIRED,
                List.of(new ScriptedCheck(false)), Optional.empty()));
        HealthVerdict.Unhealthy u = assertInstanceOf(HealthVerdict.Unhealthy.class, v);
        assertEquals(HealthVerdict.Stage.NOT_ANSWERING, u.stage());
        assertTrue(u.restarted());
        assertTrue(u.reason().contains("last failure: kubectl get nodes: exit 1: connection refused"), u.reason());
        assertEquals(1, printed().split("not yet:", -1).length - 1, "the same failure is printed once: " + printed());
    }

    @Test
    void noAuditEventIsItsOwnFailure() throws Exception {
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the new configuration", new ScriptedWatch(1), HealthWaiter.Restart.REQUIRED,
                List.of(new ScriptedCheck(true)), Optional.of(new ScriptedCheck(false))));
        HealthVerdict.Unhealthy u = assertInstanceOf(HealthVerdict.Unhealthy.class, v);
        assertEquals(HealthVerdict.Stage.NO_AUDIT_EVENT, u.stage());
    }

    @Test
    void withoutARequiredRestartAnswersAreEnough() throws Exception {
        HealthVerdict v = waiter.await(new HealthWaiter.Expectation("the previous configuration", new ScriptedWatch(0), HealthWaiter.Restart.NOT_REQUIRED,
                List.of(new ScriptedCheck(true)), Optional.empty()));
        HealthVerdict.Healthy h = assertInstanceOf(HealthVerdict.Healthy.class, v);
        assertFalse(h.restarted());
    }

    /** Like kubeadm's waits: every few seconds, how long of how long, what it waits for, and what the last probe said. */
    @Test
    void aLongWaitSaysWhereItStandsEveryFewSeconds() throws Exception {
        ScriptedCheck answers = new ScriptedCheck(false);
        waiter.await(new HealthWaiter.Expectation("the new configuration", new ScriptedWatch(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), HealthWaiter.Restart.REQUIRED,
                List.of(answers), Optional.empty()));
        String text = printed();
        assertTrue(text.contains("[setup/health] still waiting (5s of 30s) for a new kube-apiserver (container log or process with the new flags);"
                + " last probe: none yet"), text);
        assertTrue(text.contains("still waiting (10s of 30s) for 3 answers in a row from kubectl get nodes (0 so far);"
                + " last probe: kubectl get nodes: exit 1: connection refused"), text);
        assertEquals(5, text.lines().filter(l -> l.contains("still waiting")).count(), "one line every 5s of the 30s wait:\n" + text);
    }
}
