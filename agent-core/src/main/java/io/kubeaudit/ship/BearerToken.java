package io.kubeaudit.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A bearer token read from a file and read again whenever the file changes (rotated service-account
 * tokens, a fixed secret after a 401), so a credential fix needs no restart. The token itself never
 * leaves this class except as the Authorization header; messages name the file only.
 */
final class BearerToken {

    private final Path file;
    // Guarded by this.
    private FileTime modified;
    private long size = -1;
    private Object fileKey;
    private String token;
    private String header;

    BearerToken(Path file) {
        this.file = file;
    }

    /** {@code Bearer <token>}, from the file as it is now. */
    synchronized String authorization() throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (header == null || !attrs.lastModifiedTime().equals(modified) || attrs.size() != size
                || !Objects.equals(attrs.fileKey(), fileKey)) {
            String token = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IOException("token file " + file + " is empty");
            }
            if (token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IOException("token file " + file + " holds whitespace or non-ASCII characters inside the token");
            }
            this.token = token;
            header = "Bearer " + token;
            modified = attrs.lastModifiedTime();
            size = attrs.size();
            fileKey = attrs.fileKey();
        }
        return header;
    }

    /** The token as read last, without reading the file: what the destination may echo back. */
    synchronized Optional<String> lastToken() {
        return Optional.ofNullable(token);
    }

    Path file() {
        return file;
    }
}
