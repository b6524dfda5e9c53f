package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import io.kubeaudit.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 7: the shipper's state is never in another user's hands, and never written through a link. */
class PrivateStateTest {

    @TempDir
    Path dir;

    private String refusal(Path stateDir) {
        return assertThrows(IOException.class,
                () -> PipelineHarness.builder(stateDir).webhook("siem", "http://127.0.0.1:9/audit").start()).getMessage();
    }

    @Test
    void aLinkPlantedAtTheDeadLetterFileStopsTheStartAndItsTargetIsUntouched() throws IOException {
        Path stateDir = dir.resolve("state");
        Files.createDirectories(stateDir.resolve("dead-letter"));
        Path target = Files.writeString(dir.resolve("authorized_keys"), "ssh-ed25519 AAAA admin\n");
        Files.createSymbolicLink(stateDir.resolve("dead-letter/siem.ndjson"), target);
        String problem = refusal(stateDir);
        assertTrue(problem.contains("siem.ndjson -> " + target), problem);
        assertEquals("ssh-ed25519 AAAA admin\n", Files.readString(target));
    }

    @Test
    void aLinkPlantedAfterTheStartIsNotWrittenThrough() throws IOException {
        Path deadLetters = Files.createDirectories(dir.resolve("state/dead-letter"));
        Path target = Files.writeString(dir.resolve("target"), "kept\n");
        Files.createSymbolicLink(deadLetters.resolve("siem.ndjson"), target);
        DeadLetterFile file = new DeadLetterFile(deadLetters.resolve("siem.ndjson"), "siem", InstantSource.system(), Log.stderr());
        // The directory check at open refuses it; with that raced, O_NOFOLLOW still does.
        IOException e = assertThrows(IOException.class,
                () -> file.write(List.of(new DeadLetterFile.Entry("/audit.log", 0, 3, "{}\n".getBytes(), "HTTP 400", ""))));
        assertTrue(e.getMessage().contains("symbolic link"), e.toString());
        assertEquals("kept\n", Files.readString(target));
    }

    @Test
    void aStateDirectoryOwnedByAnotherUserIsRefused() throws IOException {
        Assumptions.assumeTrue(new UnixSystem().getUid() == 0,
                "only root can give a directory to another user; run as root to check the owner refusal");
        Path stateDir = Files.createDirectory(dir.resolve("state"));
        Files.setAttribute(stateDir, "unix:uid", 65534);
        assertTrue(refusal(stateDir).contains("uid 65534"), refusal(stateDir));
        assertEquals(65534, Files.getAttribute(stateDir, "unix:uid"));
    }

    @Test
    void aSubdirectoryWritableByOthersIsRefused() throws IOException {
        Path stateDir = dir.resolve("state");
        Path checkpoints = Files.createDirectories(stateDir.resolve("checkpoints"));
        Files.setPosixFilePermissions(checkpoints, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(refusal(stateDir).contains(checkpoints + ": it is writable by group and others"), refusal(stateDir));
    }
}
