package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.ConfigLoader;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where the daemon's config comes from, loaded the way every command loads it (a missing default file
 * means defaults; --root overrides the file's root), with a fingerprint of the file's bytes so the
 * daemon can tell that the file changed since it was loaded.
 */
final class ConfigSource {

    /** A loaded config and the fingerprint of the bytes it came from. */
    record Loaded(AgentConfig config, String fingerprint) {
    }

    private final Path file;
    private final boolean explicit;
    private final Optional<String> rootOverride;

    ConfigSource(Path file, boolean explicit, Optional<String> rootOverride) {
        this.file = file;
        this.explicit = explicit;
        this.rootOverride = rootOverride;
    }

    Path file() {
        return file;
    }

    Loaded load() throws InvalidInputException {
        String before = fingerprint();
        AgentConfig config = ConfigLoader.load(file, explicit);
        if (rootOverride.isPresent()) {
            config = config.withRoot(rootOverride.get());
        }
        return new Loaded(config, before);
    }

    boolean changedSince(String fingerprint) throws InvalidInputException {
        return !fingerprint().equals(fingerprint);
    }

    private String fingerprint() throws InvalidInputException {
        if (!Files.exists(file)) {
            return "absent";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new InvalidInputException(new SourceLocation(file.toString(), 0, 0), "cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
