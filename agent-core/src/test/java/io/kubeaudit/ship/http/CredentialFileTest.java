package io.kubeaudit.ship.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.ship.http.CredentialFile.CredentialUnavailableException;
import io.kubeaudit.ship.http.CredentialFile.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFileTest {

    @TempDir
    Path dir;

    @Test
    void theTokenIsReadAgainWhenItsFileChanges() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first-token\n");
        CredentialFile token = new CredentialFile(file, Kind.BEARER_TOKEN);
        assertEquals("Bearer first-token", token.authorization());
        Path replacement = dir.resolve("token.new");
        Files.writeString(replacement, "second-token-longer\n");
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("Bearer second-token-longer", token.authorization());
    }

    @Test
    void basicAuthAndApiKeysBecomeTheirSchemes() throws Exception {
        Path basic = Files.writeString(dir.resolve("basic"), "elastic:pa ss:word\n");
        assertEquals("Basic " + Base64.getEncoder().encodeToString("elastic:pa ss:word".getBytes()),
                new CredentialFile(basic, Kind.BASIC_AUTH).authorization());
        Path key = Files.writeString(dir.resolve("key"), "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==\n");
        assertEquals("ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==", new CredentialFile(key, Kind.API_KEY).authorization());
    }

    @Test
    void problemsNameTheFileButNeverTheSecret() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "  \n");
        CredentialUnavailableException empty = assertThrows(CredentialUnavailableException.class,
                () -> new CredentialFile(file, Kind.BEARER_TOKEN).authorization());
        assertTrue(empty.getMessage().contains(file.toString()));
        Files.writeString(file, "two words-secret");
        CredentialUnavailableException spaced = assertThrows(CredentialUnavailableException.class,
                () -> new CredentialFile(file, Kind.BEARER_TOKEN).authorization());
        assertFalse(spaced.getMessage().contains("secret"), spaced.getMessage());
        Files.writeString(file, "no-colon-secret");
        CredentialUnavailableException noUser = assertThrows(CredentialUnavailableException.class,
                () -> new CredentialFile(file, Kind.BASIC_AUTH).authorization());
        assertFalse(noUser.getMessage().contains("secret"), noUser.getMessage());
        assertTrue(noUser.getMessage().contains("user:password"), noUser.getMessage());
        assertThrows(CredentialUnavailableException.class, () -> new CredentialFile(dir.resolve("missing"), Kind.BEARER_TOKEN).authorization());
    }
}
