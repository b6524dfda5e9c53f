package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {

    @TempDir
    Path dir;

    @Test
    void theTokenIsReadAgainWhenItsFileChanges() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first-token\n");
        BearerToken token = new BearerToken(file);
        assertEquals("Bearer first-token", token.authorization());
        Path replacement = dir.resolve("token.new");
        Files.writeString(replacement, "second-token-longer\n");
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals("Bearer second-token-longer", token.authorization());
    }

    @Test
    void problemsNameTheFileButNeverTheToken() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "  \n");
        IOException empty = assertThrows(IOException.class, () -> new BearerToken(file).authorization());
        assertTrue(empty.getMessage().contains(file.toString()));
        Files.writeString(file, "two words-secret");
        IOException spaced = assertThrows(IOException.class, () -> new BearerToken(file).authorization());
        assertFalse(spaced.getMessage().contains("secret"), spaced.getMessage());
        assertThrows(IOException.class, () -> new BearerToken(dir.resolve("missing")).authorization());
    }
}
