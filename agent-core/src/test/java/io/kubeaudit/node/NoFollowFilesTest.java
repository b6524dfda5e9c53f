package io.kubeaudit.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoFollowFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsRegularFilesAndNothingForAMissingOne() throws IOException {
        Files.writeString(dir.resolve("a"), "abc");
        assertArrayEquals("abc".getBytes(), NoFollowFiles.read(dir.resolve("a")));
        assertEquals(Optional.empty(), NoFollowFiles.readIfExists(dir.resolve("missing")));
    }

    @Test
    void aLinkIsNeverReadOrAppendedThrough() throws IOException {
        Path target = Files.writeString(dir.resolve("target"), "secret");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        NoFollowFiles.LinkRefusedException e = assertThrows(NoFollowFiles.LinkRefusedException.class, () -> NoFollowFiles.read(link));
        assertEquals(target.toString(), e.target());
        assertThrows(NoFollowFiles.LinkRefusedException.class, () -> NoFollowFiles.openReadWrite(link, AtomicFileWriter.OWNER_READ_WRITE));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("not-yet"));
        assertThrows(NoFollowFiles.LinkRefusedException.class, () -> NoFollowFiles.openReadWrite(dangling, AtomicFileWriter.OWNER_READ_WRITE));
        assertTrue(Files.notExists(dir.resolve("not-yet")));
        assertEquals("secret", Files.readString(target));
    }

    @Test
    void openingCreatesAPrivateFile() throws IOException {
        try (FileChannel ch = NoFollowFiles.openReadWrite(dir.resolve("dl.ndjson"), AtomicFileWriter.OWNER_READ_WRITE)) {
            ch.write(ByteBuffer.wrap("x\n".getBytes()));
        }
        assertEquals("x\n", Files.readString(dir.resolve("dl.ndjson")));
    }

    @Test
    void aFifoIsRefusedInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        IOException e = assertThrows(IOException.class, () -> NoFollowFiles.read(fifo));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
}
