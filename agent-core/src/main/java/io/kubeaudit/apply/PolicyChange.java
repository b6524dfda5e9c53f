package io.kubeaudit.apply;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy file a setup installs.
 *
 * @param hostPath where it goes on this machine
 * @param nodePath where it goes as the node (and the manifest) names it
 * @param name     the policy's name ("recommended", or the file the user gave)
 * @param content  exactly the bytes the server will read
 * @param previous what the file held before, empty when there was no file
 * @param upToDate the file already holds exactly this content with mode 0600
 */
public record PolicyChange(Path hostPath, String nodePath, String name, byte[] content, Optional<byte[]> previous, boolean upToDate) {

    public PolicyChange {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(nodePath, "nodePath");
        Objects.requireNonNull(name, "name");
        content = content.clone();
        previous = previous.map(byte[]::clone);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public Optional<byte[]> previous() {
        return previous.map(byte[]::clone);
    }
}
