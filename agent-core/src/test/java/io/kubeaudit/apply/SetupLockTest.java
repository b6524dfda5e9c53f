package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderInThisProcessIsRefusedWithOurPid() throws Exception {
        Path file = dir.resolve("setup.lock");
        try (SetupLock first = SetupLock.acquire(file, "setup")) {
            SetupLockedException e = CompletableFuture.supplyAsync(() ->
                    assertThrows(SetupLockedException.class, () -> SetupLock.acquire(file, "setup"))).get();
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        SetupLock.acquire(file, "setup").close();
    }

    @Test
    void anotherProcessHoldingItIsNamedAndKill9ReleasesIt() throws Exception {
        Path file = dir.resolve("setup.lock");
        try (ChildJvm child = ChildJvm.start(LockHolder.class, dir.resolve("child.log"), file.toString())) {
            String line = child.awaitLine("locked ");
            assertNotNull(line, "child did not take the lock");
            assertEquals("locked " + child.pid(), line);
            SetupLockedException e = assertThrows(SetupLockedException.class, () -> SetupLock.acquire(file, "setup"));
            assertTrue(e.getMessage().contains("held by pid " + child.pid()), e.getMessage());
            child.kill9();
        }
        // The kernel dropped the dead holder's lock: nothing stale to clean up.
        SetupLock.acquire(file, "setup").close();
    }
}
