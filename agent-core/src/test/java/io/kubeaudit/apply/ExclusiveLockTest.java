package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.ExclusiveLock;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OS lock behind setup.lock and ship.lock (here beside {@link ChildJvm}, which runs the second process). */
class ExclusiveLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderInThisProcessIsRefusedWithOurPid() throws Exception {
        Path file = dir.resolve("setup.lock");
        try (ExclusiveLock first = ExclusiveLock.acquire(file, "setup")) {
            ExclusiveLock.HeldException e = CompletableFuture.supplyAsync(() ->
                    assertThrows(ExclusiveLock.HeldException.class, () -> ExclusiveLock.acquire(file, "setup"))).get();
            assertTrue(e.holder().startsWith("held by pid " + ProcessHandle.current().pid() + " since ") && e.holder().endsWith("(setup)"),
                    e.holder());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        ExclusiveLock.acquire(file, "setup").close();
    }

    @Test
    void anotherProcessHoldingItIsNamedAndKill9ReleasesIt() throws Exception {
        Path file = dir.resolve("setup.lock");
        try (ChildJvm child = ChildJvm.start(LockHolder.class, dir.resolve("child.log"), file.toString())) {
            String line = child.awaitLine("locked ");
            assertNotNull(line, "child did not take the lock");
            assertEquals("locked " + child.pid(), line);
            ExclusiveLock.HeldException e = assertThrows(ExclusiveLock.HeldException.class, () -> ExclusiveLock.acquire(file, "setup"));
            assertTrue(e.getMessage().contains("held by pid " + child.pid()), e.getMessage());
            child.kill9();
        }
        // The kernel dropped the dead holder's lock: nothing stale to clean up.
        ExclusiveLock.acquire(file, "setup").close();
    }
}
