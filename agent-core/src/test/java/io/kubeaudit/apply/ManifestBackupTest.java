package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestBackupTest {

    @TempDir
    Path root;

    private final FakeClock clock = new FakeClock(Instant.parse("2025-03-04T05:06:07.890Z"));

    private ManifestBackup backup() {
        return new ManifestBackup(root.resolve("tmp"), root.resolve("var/lib/kube-audit-agent/backups"), clock);
    }

    private static Map<String, byte[]> files(String manifest) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("kube-apiserver.yaml", manifest.getBytes(StandardCharsets.UTF_8));
        files.put("audit-policy.yaml", "rules: []\n".getBytes(StandardCharsets.UTF_8));
        return files;
    }

    @Test
    void privateDirectoryWithUnpredictableNameAndStateCopy() throws Exception {
        BackupLocation a = backup().save(files("a"));
        BackupLocation b = backup().save(files("b"));

        assertEquals(root.resolve("tmp"), a.privateDir().getParent());
        assertTrue(a.privateDir().getFileName().toString().startsWith(ManifestBackup.PRIVATE_PREFIX));
        assertNotEquals(a.privateDir(), b.privateDir());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.privateDir())));
        for (Path dir : new Path[] {a.privateDir(), a.stateDir()}) {
            Path copy = dir.resolve("kube-apiserver.yaml");
            assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(copy));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
            assertTrue(Files.exists(dir.resolve("audit-policy.yaml")));
        }
        assertEquals(root.resolve("var/lib/kube-audit-agent/backups/20250304T050607.890Z"), a.stateDir());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(a.stateDir())));
        assertEquals(root.resolve("var/lib/kube-audit-agent/backups/20250304T050607.890Z-1"), b.stateDir(), "same instant: no overwrite");
    }

    @Test
    void retentionKeepsTheNewestAndNeverTouchesWhatIsNotOurs() throws Exception {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path outside = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(outside.resolve("precious"), "x");
        Path planted = Files.createSymbolicLink(tmp.resolve(ManifestBackup.PRIVATE_PREFIX + "planted"), outside);
        BackupLocation last = null;
        for (int i = 0; i < ManifestBackup.KEEP + 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            last = backup().save(files("v" + i));
            // Distinct modification times, oldest first, whatever the filesystem's timestamp granularity.
            Files.setLastModifiedTime(last.privateDir(), java.nio.file.attribute.FileTime.from(clock.instant()));
            Files.setLastModifiedTime(last.stateDir(), java.nio.file.attribute.FileTime.from(clock.instant()));
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(ManifestBackup.KEEP + 1, s.count(), "KEEP private dirs plus the planted link");
        }
        try (Stream<Path> s = Files.list(root.resolve("var/lib/kube-audit-agent/backups"))) {
            assertEquals(ManifestBackup.KEEP, s.count());
        }
        assertTrue(Files.isSymbolicLink(planted));
        assertTrue(Files.exists(outside.resolve("precious")));
        assertTrue(Files.exists(last.privateDir().resolve("kube-apiserver.yaml")));
        assertFalse(Files.exists(root.resolve("var/lib/kube-audit-agent/backups/20250304T050608.890Z"), LinkOption.NOFOLLOW_LINKS),
                "the oldest state copy was pruned");
    }
}
