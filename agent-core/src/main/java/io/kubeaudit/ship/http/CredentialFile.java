package io.kubeaudit.ship.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.Objects;

/**
 * A credential read from a file and read again whenever the file changes (rotated service-account
 * tokens, a fixed secret after a 401), so a credential fix needs no restart. The secret never leaves
 * this class except as the Authorization header; messages name the file only.
 */
public final class CredentialFile {

    /** What the file holds and how it becomes an Authorization header. */
    public enum Kind {
        /** {@code tokenFile}: a bearer token. */
        BEARER_TOKEN("Bearer", "token"),
        /** {@code apiKeyFile}: an Elasticsearch/OpenSearch API key, already encoded (the {@code encoded} field of the create answer). */
        API_KEY("ApiKey", "API key"),
        /** {@code basicAuthFile}: {@code user:password} on one line, sent base64-encoded. */
        BASIC_AUTH("Basic", "user:password");

        private final String scheme;
        private final String what;

        Kind(String scheme, String what) {
            this.scheme = scheme;
            this.what = what;
        }

        String header(String secret) {
            return this == BASIC_AUTH ? scheme + " " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))
                    : scheme + " " + secret;
        }

        /** Null when {@code secret} can be sent; otherwise what is wrong with it (never the secret itself). */
        String problem(String secret) {
            if (this == BASIC_AUTH) {
                int colon = secret.indexOf(':');
                if (colon <= 0) {
                    return "holds no user:password (one line, the user before the first ':')";
                }
                return secret.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? "holds control characters" : null;
            }
            return secret.chars().anyMatch(c -> c < 0x21 || c > 0x7e) ? "holds whitespace or non-ASCII characters inside the " + what : null;
        }
    }

    /** The file cannot be read or holds no usable credential: the destination holds until it is fixed. */
    public static final class CredentialUnavailableException extends IOException {
        CredentialUnavailableException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final Kind kind;
    // Guarded by this.
    private FileTime modified;
    private long size = -1;
    private Object fileKey;
    private String header;

    public CredentialFile(Path file, Kind kind) {
        this.file = file;
        this.kind = kind;
    }

    /** The Authorization header value, from the file as it is now. */
    public synchronized String authorization() throws CredentialUnavailableException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (header == null || !attrs.lastModifiedTime().equals(modified) || attrs.size() != size
                    || !Objects.equals(attrs.fileKey(), fileKey)) {
                String secret = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                if (secret.isEmpty()) {
                    throw new CredentialUnavailableException(kind.what + " file " + file + " is empty");
                }
                String problem = kind.problem(secret);
                if (problem != null) {
                    throw new CredentialUnavailableException(kind.what + " file " + file + " " + problem);
                }
                header = kind.header(secret);
                modified = attrs.lastModifiedTime();
                size = attrs.size();
                fileKey = attrs.fileKey();
            }
            return header;
        } catch (CredentialUnavailableException e) {
            throw e;
        } catch (IOException e) {
            throw new CredentialUnavailableException("cannot read the " + kind.what + " file " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    public Kind kind() {
        return kind;
    }
}
