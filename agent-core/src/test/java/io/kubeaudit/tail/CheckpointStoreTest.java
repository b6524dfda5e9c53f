package io.kubeaudit.tail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointStoreTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private static final Checkpoint ONE = new Checkpoint(new FileId(64769, 1234, "0123456789abcdef0123456789abcdef"),
            "/var/log/kubernetes/audit/audit.log", 4096);
    private static final Checkpoint TWO = new Checkpoint(new FileId(64769, 1234, "0123456789abcdef0123456789abcdef"),
            "/var/log/kubernetes/audit/audit-2026-01-01T00-00-00.000.log", 8192);

    private CheckpointStore store() {
        return new CheckpointStore(dir.resolve("checkpoint.json"), warnings::add);
    }

    @Test
    void savesVersionedJsonPrivatelyAndLoadsItBack() throws Exception {
        store().save(ONE);
        Path file = dir.resolve("checkpoint.json");
        assertEquals("{\"version\":1,\"file\":{\"device\":64769,\"inode\":1234,\"fingerprint\":"
                + "\"0123456789abcdef0123456789abcdef\"},\"path\":\"/var/log/kubernetes/audit/audit.log\",\"offset\":4096}\n",
                Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(Optional.of(ONE), store().load());
        assertEquals(List.of(), warnings);
    }

    @Test
    void noCheckpointLoadsEmpty() throws Exception {
        assertEquals(Optional.empty(), store().load());
        assertEquals(List.of(), warnings);
    }

    @Test
    void anUnchangedCheckpointIsNotWrittenAgain() throws Exception {
        CheckpointStore store = store();
        assertTrue(store.save(ONE), "first save writes");
        Path file = dir.resolve("checkpoint.json");
        Object inode = Files.getAttribute(file, "unix:ino");
        assertFalse(store.save(ONE), "same checkpoint: nothing written");
        assertEquals(inode, Files.getAttribute(file, "unix:ino"), "no rename happened");
        assertTrue(store.save(TWO));
        assertNotEquals(inode, Files.getAttribute(file, "unix:ino"));
        CheckpointStore reloaded = store();
        assertEquals(Optional.of(TWO), reloaded.load());
        Object after = Files.getAttribute(file, "unix:ino");
        assertFalse(reloaded.save(TWO));
        assertEquals(after, Files.getAttribute(file, "unix:ino"), "a loaded checkpoint counts as written");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "{\"version\":1,\"file\":{\"device\":1,\"inode\":2,\"finger",
        "{\"version\":2,\"file\":{\"device\":1,\"inode\":2,\"fingerprint\":\"ab\"},\"path\":\"/a\",\"offset\":3}",
        "{\"version\":1,\"file\":{\"device\":1,\"inode\":2,\"fingerprint\":\"ab\"},\"path\":\"/a\",\"offset\":-3}",
        "{\"version\":1,\"file\":{\"device\":1,\"inode\":2,\"fingerprint\":\"\"},\"path\":\"/a\",\"offset\":3}",
        "{\"version\":1,\"file\":{\"device\":1,\"inode\":2,\"fingerprint\":\"ab\"},\"path\":\"/a\",\"offset\":\"3\"}",
        "{\"version\":1,\"file\":{\"device\":1,\"inode\":2,\"fingerprint\":\"ab\"},\"path\":\"/a\",\"offset\":3} {}",
        "[1,2,3]",
        "\u0000\u0000\u0000\u0000"
    })
    void aCorruptCheckpointIsMovedAsideAndReportedNotFatal(String content) throws Exception {
        Path file = dir.resolve("checkpoint.json");
        Files.writeString(file, content);
        CheckpointStore store = store();
        assertEquals(Optional.empty(), store.load());
        Path aside = dir.resolve("checkpoint.json.corrupt-1");
        assertEquals(content, Files.readString(aside), "kept for inspection");
        assertFalse(Files.exists(file));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("unusable") && warnings.get(0).contains(aside.toString()), warnings.get(0));
        store.save(ONE);
        assertEquals(Optional.of(ONE), store().load(), "the next start is clean");
    }

    @Test
    void aCheckpointWriteKilledBeforeItsRenameLeavesTheOldCheckpoint() throws Exception {
        store().save(ONE);
        Path temp = dir.resolve(".checkpoint.json.tmp-0a1b2c3d4e5f");
        Files.writeString(temp, "{\"version\":1,\"file\":{\"dev"); // killed mid-write
        assertEquals(Optional.of(ONE), store().load());
        assertFalse(Files.exists(temp), "the leftover temp file is cleaned up");
        assertEquals(List.of(), warnings);
    }

    @Test
    void aCompleteCheckpointWinsOverAnInterruptedNewerOne() throws Exception {
        store().save(ONE);
        Files.write(dir.resolve(".checkpoint.json.tmp-0a1b2c3d4e5f"), CheckpointStore.encode(TWO));
        assertEquals(Optional.of(ONE), store().load());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("checkpoint.json")), files.toList());
        }
    }

    @Test
    void anInterruptedFirstWriteIsUsedWhenThereIsNoCheckpoint() throws Exception {
        Path temp = dir.resolve(".checkpoint.json.tmp-0a1b2c3d4e5f");
        Files.write(temp, CheckpointStore.encode(TWO));
        assertEquals(Optional.of(TWO), store().load());
        assertArrayEquals(CheckpointStore.encode(TWO), Files.readAllBytes(dir.resolve("checkpoint.json")));
        assertFalse(Files.exists(temp));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("interrupted"), warnings.get(0));
    }

    @Test
    void encodingRoundTripsEveryField() throws Exception {
        Checkpoint odd = new Checkpoint(new FileId(Long.MAX_VALUE, 0, "f"), "/odd \"path\"\n/ä", 0);
        assertEquals(odd, CheckpointStore.decode(CheckpointStore.encode(odd)));
        assertTrue(new String(CheckpointStore.encode(odd), StandardCharsets.UTF_8).endsWith("}\n"));
    }
}
