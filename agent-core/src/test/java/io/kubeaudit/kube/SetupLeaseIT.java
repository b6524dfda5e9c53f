package io.kubeaudit.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes' leases through the real kubectl against a Lease API on 127.0.0.1. */
class SetupLeaseIT {

    @TempDir
    Path dir;
    FakeKubeApi api;
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @BeforeEach
    void start() throws Exception {
        api = new FakeKubeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private SetupLease node(String name) throws Exception {
        return new SetupLease(new Kubectl("kubectl", api.kubeconfig(dir.resolve("kubeconfig")), List.of(), dir), name, Duration.ofMinutes(10), () -> now);
    }

    @Test
    void oneNodeAtATimeAndReleaseHandsItOver() throws Exception {
        SetupLease a = node("cp-1");
        SetupLease b = node("cp-2");
        assertInstanceOf(SetupLease.Outcome.Acquired.class, a.acquire());
        SetupLease.Outcome.HeldBy held = assertInstanceOf(SetupLease.Outcome.HeldBy.class, b.acquire());
        assertEquals("cp-1", held.holder());
        assertEquals(now.plus(Duration.ofMinutes(10)), held.until());

        assertEquals(Optional.empty(), a.release());
        assertEquals("", api.object(FakeKubeApi.LEASES, SetupLease.NAME).get("spec").get("holderIdentity").asText());
        assertInstanceOf(SetupLease.Outcome.Acquired.class, b.acquire());
        assertEquals("cp-2", api.object(FakeKubeApi.LEASES, SetupLease.NAME).get("spec").get("holderIdentity").asText());
        assertEquals(1, api.object(FakeKubeApi.LEASES, SetupLease.NAME).get("spec").get("leaseTransitions").asInt());
    }

    @Test
    void aDeadHoldersLeaseExpires() throws Exception {
        assertInstanceOf(SetupLease.Outcome.Acquired.class, node("cp-1").acquire());
        now = now.plus(Duration.ofMinutes(10)).plusSeconds(1);
        assertInstanceOf(SetupLease.Outcome.Acquired.class, node("cp-2").acquire());
    }

    @Test
    void losingARaceForAnExpiredLeaseIsWaitingNotWinning() throws Exception {
        assertInstanceOf(SetupLease.Outcome.Acquired.class, node("cp-1").acquire());
        now = now.plus(Duration.ofHours(1));
        api.raceAfterGets(1, lease -> ((ObjectNode) lease.get("spec")).put("holderIdentity", "racer"));
        assertInstanceOf(SetupLease.Outcome.HeldBy.class, node("cp-2").acquire());
        assertEquals("racer", api.object(FakeKubeApi.LEASES, SetupLease.NAME).get("spec").get("holderIdentity").asText());
    }

    @Test
    void anUnreachableApiIsUnavailable() throws Exception {
        SetupLease lease = node("cp-1");
        api.close();
        SetupLease.Outcome.Unavailable u = assertInstanceOf(SetupLease.Outcome.Unavailable.class, lease.acquire());
        assertTrue(u.reason().contains("cannot read the Lease kube-system/kube-audit-agent-setup"), u.reason());
    }
}
