package io.kubeaudit.apply;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one run's backup copies are: a private directory under the backup dir ({@code /tmp} by
 * default, quick to find) and the durable copy in the state dir ({@code /tmp} is cleaned and may be
 * private to a service). Both hold the manifest and, when there was one, the previous policy.
 *
 * @param privateDir the private (0700, unpredictable name) directory under apply.backupDir, host path
 * @param stateDir   the timestamped directory under the state dir's backups, host path
 */
public record BackupLocation(Path privateDir, Path stateDir) {

    public BackupLocation {
        Objects.requireNonNull(privateDir, "privateDir");
        Objects.requireNonNull(stateDir, "stateDir");
    }

    public String describe() {
        return privateDir + " and " + stateDir;
    }
}
