package io.kubeaudit.ship;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A token or private key file that group or others can read hands the destination's credential to
 * every account on the node: warned about at start, naming the file and the fix. Not refused: the
 * file's mode is the operator's call, and refusing would stop the audit trail.
 */
final class CredentialFileModes {

    private static final Set<PosixFilePermission> SHARED = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private CredentialFileModes() {
    }

    static void warnIfShared(DestinationConfig d, NodePaths paths, Log log) {
        check(d, "tokenFile", d.tokenFile(), paths, log);
        check(d, "keyFile", d.keyFile(), paths, log);
    }

    private static void check(DestinationConfig d, String setting, String nodePath, NodePaths paths, Log log) {
        if (nodePath.isEmpty()) {
            return;
        }
        Path file = paths.resolve(nodePath);
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            // Said where the file is needed: the key when the sink is built, the token at every send.
            return;
        } catch (IOException e) {
            log.warn("ship", "cannot check who may read a credential file", "destination", d.name(), "setting", setting,
                    "file", nodePath, "error", e.getMessage());
            return;
        }
        if (mode.stream().anyMatch(SHARED::contains)) {
            log.warn("ship", "credential file is readable by other users", "destination", d.name(), "setting", setting,
                    "file", nodePath, "mode", PosixFilePermissions.toString(mode), "fix", "chmod 600 " + nodePath);
        }
    }
}
