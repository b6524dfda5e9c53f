package io.kubeaudit.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {

    @Test
    void writesContentAndModeAndLeavesNoTempFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("kube-apiserver.yaml");
        assertTrue(AtomicFileWriter.write(target, "a: 1\n".getBytes(StandardCharsets.UTF_8), AtomicFileWriter.OWNER_READ_WRITE));
        assertArrayEquals("a: 1\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void identicalContentIsNotRewritten(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("p.yaml");
        byte[] body = "x".getBytes(StandardCharsets.UTF_8);
        AtomicFileWriter.write(target, body, AtomicFileWriter.OWNER_READ_WRITE);
        var before = Files.getLastModifiedTime(target);
        assertFalse(AtomicFileWriter.write(target, body, AtomicFileWriter.OWNER_READ_WRITE));
        assertEquals(before, Files.getLastModifiedTime(target));
    }

    @Test
    void replacingKeepsTheInodeChangeAtomic(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("m.yaml");
        Files.writeString(target, "old");
        Object before = Files.getAttribute(target, "unix:ino");
        AtomicFileWriter.write(target, "new".getBytes(StandardCharsets.UTF_8), AtomicFileWriter.OWNER_READ_WRITE);
        assertEquals("new", Files.readString(target));
        // A rename, not an in-place write: readers holding the old file never see a half-written one.
        assertFalse(before.equals(Files.getAttribute(target, "unix:ino")));
    }

    @Test
    void aLinkAtTheTargetIsReplacedNotFollowedAndNeverCountsAsTheContent(@TempDir Path dir) throws IOException {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "x");
        Files.setPosixFilePermissions(elsewhere, AtomicFileWriter.OWNER_READ_WRITE);
        Path target = Files.createSymbolicLink(dir.resolve("policy.yaml"), elsewhere);
        assertFalse(AtomicFileWriter.hasContent(target, "x".getBytes(StandardCharsets.UTF_8), AtomicFileWriter.OWNER_READ_WRITE));
        AtomicFileWriter.write(target, "new".getBytes(StandardCharsets.UTF_8), AtomicFileWriter.OWNER_READ_WRITE);
        assertFalse(Files.isSymbolicLink(target));
        assertEquals("x", Files.readString(elsewhere));
    }

    @Test
    void nodePathsStayInsideTheRoot(@TempDir Path dir) {
        NodePaths paths = new NodePaths(dir);
        assertEquals(dir.resolve("etc/kubernetes/manifests"), paths.resolve("/etc/kubernetes/manifests"));
        assertEquals("/etc/kubernetes", paths.toNodePath(dir.resolve("etc/kubernetes")));
    }
}
