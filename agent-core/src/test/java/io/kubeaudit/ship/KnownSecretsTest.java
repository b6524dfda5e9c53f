package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownSecretsTest {

    @TempDir
    Path dir;

    @Test
    void headerValuesAreMaskedAsSentAndAsJsonQuotesThem() {
        KnownSecrets s = new KnownSecrets(List.of("p\\a\"ss-1234", "on"), Optional.empty());
        assertEquals("got <redacted> and <redacted>; on stays", s.redact("got p\\a\"ss-1234 and p\\\\a\\\"ss-1234; on stays"));
    }

    @Test
    void theTokenReadLastIsMaskedAfterARotation() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first-token\n");
        BearerToken token = new BearerToken(file);
        KnownSecrets s = new KnownSecrets(List.of(), Optional.of(token));
        assertEquals("nothing read yet: first-token", s.redact("nothing read yet: first-token"));
        token.authorization();
        assertEquals("echo <redacted>", s.redact("echo first-token"));
        Files.writeString(file, "second-token-longer\n");
        token.authorization();
        assertEquals("echo <redacted>", s.redact("echo second-token-longer"));
    }
}
