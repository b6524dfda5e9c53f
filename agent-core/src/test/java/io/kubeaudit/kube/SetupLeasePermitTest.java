package io.kubeaudit.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.time.WaitClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The waiting and reporting around the lease, with a lock that answers as told and a clock that moves when slept on. */
class SetupLeasePermitTest {

    private final Instant start = Instant.parse("2026-11-26T10:00:00Z");
    private Instant now = start;
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();
    private final WaitClock clock = new WaitClock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            pauses.add(d);
            now = now.plus(d);
        }
    };

    /** Held by cp-2 until {@code freeAt}, then free; release answers {@code releaseError}. */
    private ClusterLock lock(Instant freeAt, Optional<String> releaseError) {
        return new ClusterLock() {
            @Override
            public SetupLease.Outcome acquire() {
                return now.isBefore(freeAt) ? new SetupLease.Outcome.HeldBy("cp-2", freeAt) : new SetupLease.Outcome.Acquired();
            }

            @Override
            public Optional<String> release() {
                return releaseError;
            }
        };
    }

    private SetupLeasePermit permit(ClusterLock lock, Duration maxWait) {
        return new SetupLeasePermit(Optional.of(lock), "cp-1", maxWait, clock, "the API server was not restarted");
    }

    @Test
    void anotherHolderIsWaitedForUntilItsExpiryThenTheLeaseIsTakenAndGivenBack() throws Exception {
        SetupLeasePermit permit = permit(lock(start.plusSeconds(12), Optional.empty()), Duration.ofMinutes(10));
        assertEquals(Optional.empty(), permit.acquire(progress::add));
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2)), pauses, "looks again every 5s at most");
        assertEquals(1, progress.stream().filter(p -> p.contains("held by cp-2 until 2026-11-26T10:00:12Z; waiting")).count(), progress.toString());
        permit.release(progress::add);
        Map<String, Object> report = permit.report();
        assertEquals(true, report.get("taken"));
        assertEquals("cp-1", report.get("holder"));
        assertEquals("12s", report.get("waited"));
        assertEquals(List.of("cp-2"), report.get("waitedFor"));
        assertEquals(true, report.get("released"));
        assertFalse(report.containsKey("why"), report.toString());
    }

    @Test
    void aHolderPastTheWaitLimitRefusesWithWhoAndUntilWhen() throws Exception {
        SetupLeasePermit permit = permit(lock(start.plus(Duration.ofMinutes(10)), Optional.empty()), Duration.ofSeconds(30));
        String why = permit.acquire(progress::add).orElseThrow().message();
        assertEquals("the setup lease kube-system/kube-audit-agent-setup is held by cp-2 until 2026-11-26T10:10:00Z: another node is"
                + " restarting its API server. Waited 30s (--lease-wait); try again later. Nothing was changed", why);
        assertEquals(Duration.ofSeconds(30), pauses.stream().reduce(Duration.ZERO, Duration::plus), "never sleeps past the limit");
        assertEquals(false, permit.report().get("taken"));
        assertEquals(why, permit.report().get("why"));
    }

    @Test
    void anUnreachableApiRefusesAndNamesTheWayOut() throws Exception {
        ClusterLock down = new ClusterLock() {
            @Override
            public SetupLease.Outcome acquire() {
                return new SetupLease.Outcome.Unavailable("cannot read the Lease kube-system/kube-audit-agent-setup: connection refused");
            }

            @Override
            public Optional<String> release() {
                throw new AssertionError("nothing was taken");
            }
        };
        String why = permit(down, Duration.ofMinutes(10)).acquire(progress::add).orElseThrow().message();
        assertTrue(why.startsWith("no setup lease, so no restart: cannot read the Lease") && why.contains("Pass --no-lease"), why);
        assertEquals(List.of(), pauses, "an unreachable API is not waited for: the daemon does not restart without it either");
    }

    @Test
    void aFailedReleaseIsReported() throws Exception {
        SetupLeasePermit permit = permit(lock(start, Optional.of("Error from server (Forbidden)")), Duration.ofMinutes(1));
        permit.acquire(progress::add);
        permit.release(progress::add);
        assertEquals(false, permit.report().get("released"));
        assertEquals(Optional.of("Error from server (Forbidden)"), permit.releaseError());
        assertTrue(progress.get(progress.size() - 1).contains("it frees itself at its expiry"), progress.toString());
    }

    @Test
    void withoutALeaseNothingIsAskedAndTheReportSaysWhy() throws Exception {
        SetupLeasePermit permit = SetupLeasePermit.notUsed("not used: --no-lease");
        assertEquals(Optional.empty(), permit.acquire(progress::add));
        permit.release(progress::add);
        assertEquals(Map.of("lease", "kube-system/kube-audit-agent-setup", "taken", false, "why", "not used: --no-lease"), permit.report());
        assertEquals(List.of(), progress);
    }
}
