package io.kubeaudit.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 7: the state directory and those in it are used only when nobody else can write into them. */
class PrivateDirectoryTest {

    @TempDir
    Path dir;

    private String refusal(Path d) {
        return assertThrows(PrivateDirectory.UnsafeDirectoryException.class, () -> PrivateDirectory.ensure(d)).getMessage();
    }

    @Test
    void aNewDirectoryIsCreatedPrivateWithItsParents() throws IOException {
        Path state = PrivateDirectory.ensure(dir.resolve("var/lib/kube-audit-agent"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void anOwnDirectoryReadableByOthersIsNarrowed() throws IOException {
        Path state = Files.createDirectory(dir.resolve("state"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        PrivateDirectory.ensure(state);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void aDirectoryWritableByOthersIsRefusedNotRepaired() throws IOException {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
        String problem = refusal(state);
        assertTrue(problem.contains("writable by group and others (mode rwxrwxrwx)") && problem.contains("chmod 700 " + state), problem);
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void anotherUsersDirectoryIsRefused() throws IOException {
        Assumptions.assumeTrue(new UnixSystem().getUid() == 0,
                "only root can give a directory to another user; run as root to check the owner refusal");
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setAttribute(state, "unix:uid", 65534);
        String problem = refusal(state);
        assertTrue(problem.contains("(uid 65534), not by root (uid 0) that runs the agent") && problem.contains("chown -R root " + state),
                problem);
    }

    @Test
    void aLinkInsideIsRefusedByNameAndTarget() throws IOException {
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.createSymbolicLink(state.resolve("siem.ndjson"), Path.of("/etc/passwd"));
        String problem = refusal(state);
        assertTrue(problem.contains("siem.ndjson -> /etc/passwd"), problem);
    }

    @Test
    void aLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("state"), elsewhere);
        assertTrue(refusal(link).contains("is a symbolic link to " + elsewhere), refusal(link));
        Path file = Files.writeString(dir.resolve("file"), "");
        assertTrue(refusal(file).contains("not a directory"), refusal(file));
    }
}
