package io.kubeaudit.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bytes of one policy, bundled or read from a file, with the name people know it by and the
 * file name used in messages. The bytes are what gets installed, so the hash recorded in the
 * manifest is the hash of exactly what the API server reads.
 */
public record PolicyDocument(String name, String fileName, byte[] content) {

    public PolicyDocument {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fileName, "fileName");
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Lower-case hex SHA-256 of the content. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /**
     * The policy's one-line summary: its first comment line, without a leading "name:" (the bundled
     * policies start with "# recommended: ..."); empty when the file starts with no comment.
     */
    public String description() {
        String first = text().lines().findFirst().orElse("").strip();
        if (!first.startsWith("#")) {
            return "";
        }
        String line = first.substring(1).strip();
        String prefix = name + ":";
        return line.startsWith(prefix) ? line.substring(prefix.length()).strip() : line;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyDocument other && name.equals(other.name) && fileName.equals(other.fileName)
                && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, fileName, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "PolicyDocument[" + name + ", " + fileName + ", " + content.length + " bytes, sha256 " + sha256() + "]";
    }
}
