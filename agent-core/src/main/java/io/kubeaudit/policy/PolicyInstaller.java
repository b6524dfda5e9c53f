package io.kubeaudit.policy;

import io.kubeaudit.node.AtomicFileWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Puts the policy where the API server reads it: atomically (a crash leaves the old or the new
 * file, whole), readable by root only (CIS asks 600 for control-plane files), and untouched when
 * already identical, so a second run changes nothing.
 */
public final class PolicyInstaller {

    private PolicyInstaller() {
    }

    /**
     * @param hostPath where to write, on this machine (a {@code NodePaths}-resolved path)
     * @return true when the file was written, false when it already held exactly this content with mode 0600
     */
    public static boolean install(Path hostPath, byte[] content) throws IOException {
        return AtomicFileWriter.write(hostPath, content, AtomicFileWriter.OWNER_READ_WRITE);
    }
}
