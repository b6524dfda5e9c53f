package io.kubeaudit.apply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * The node's files with a second writer fighting over the policy: right after the agent installs its
 * policy, this one overwrites it (as a configuration-management run shipping an old policy would).
 * The demo uses it to show a server refusing its policy, which the agent's own validation never lets
 * through.
 */
final class OverwrittenPolicyFiles implements TransactionFiles {

    private final TransactionFiles files;
    private final byte[] overwriteWith;

    OverwrittenPolicyFiles(TransactionFiles files, byte[] overwriteWith) {
        this.files = files;
        this.overwriteWith = overwriteWith.clone();
    }

    @Override
    public BackupLocation backup(SetupPlan plan) throws IOException {
        return files.backup(plan);
    }

    @Override
    public boolean installPolicy(PolicyChange policy) throws IOException {
        boolean written = files.installPolicy(policy);
        Files.write(policy.hostPath(), overwriteWith);
        return written;
    }

    @Override
    public void restorePolicy(PolicyChange policy) throws IOException {
        files.restorePolicy(policy);
    }

    @Override
    public void writeManifest(Path manifest, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        files.writeManifest(manifest, content, mode);
    }

    @Override
    public List<Path> removeStaleTemps(Path manifest) throws IOException {
        return files.removeStaleTemps(manifest);
    }
}
