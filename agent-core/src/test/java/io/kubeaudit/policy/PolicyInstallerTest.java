package io.kubeaudit.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyInstallerTest {

    @TempDir
    Path root;

    private List<String> directoryListing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void installsPrivatelyAndLeavesNoTempFile() throws Exception {
        Path target = root.resolve("etc/kubernetes/audit-policy.yaml");
        byte[] content = PolicyCatalog.bundled("recommended").content();
        assertTrue(PolicyInstaller.install(target, content));
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of("audit-policy.yaml"), directoryListing(target.getParent()));
    }

    @Test
    void identicalContentIsNotRewritten() throws Exception {
        Path target = root.resolve("audit-policy.yaml");
        byte[] content = PolicyCatalog.bundled("minimal").content();
        assertTrue(PolicyInstaller.install(target, content));
        Object inode = Files.getAttribute(target, "unix:ino");
        assertFalse(PolicyInstaller.install(target, content), "second install reports no change");
        assertEquals(inode, Files.getAttribute(target, "unix:ino"), "the file was not replaced");
    }

    @Test
    void changedContentOrModeIsReplacedByRename() throws Exception {
        Path target = root.resolve("audit-policy.yaml");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Object inode = Files.getAttribute(target, "unix:ino");
        byte[] content = PolicyCatalog.bundled("cis").content();
        assertTrue(PolicyInstaller.install(target, content));
        assertFalse(inode.equals(Files.getAttribute(target, "unix:ino")), "a new file was renamed over the old one");
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));

        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(PolicyInstaller.install(target, content), "a too-open mode is fixed even when the bytes match");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of("audit-policy.yaml"), directoryListing(root));
    }
}
