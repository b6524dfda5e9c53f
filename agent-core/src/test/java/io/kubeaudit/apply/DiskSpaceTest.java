package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {

    @TempDir
    Path dir;

    @Test
    void aLogDirectoryThatDoesNotExistYetIsMeasuredOnTheFilesystemItWillLiveOn() throws Exception {
        Path logDir = dir.resolve("var/log/kubernetes/audit");
        DiskSpace.Usable usable = DiskSpace.system().usable(logDir);
        long jdk = Files.getFileStore(dir).getTotalSpace();
        assertTrue(usable.bytes() > 0 && usable.bytes() <= jdk, usable + " vs total " + jdk);
        assertFalse(usable.filesystem().isBlank());
        assertFalse(Files.exists(logDir), "measuring creates nothing");
    }
}
