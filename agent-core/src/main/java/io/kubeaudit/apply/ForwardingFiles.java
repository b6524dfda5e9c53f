package io.kubeaudit.apply;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/** Passes every call on to other files; a subclass changes the one step it is about. */
public class ForwardingFiles implements TransactionFiles {

    private final TransactionFiles files;

    protected ForwardingFiles(TransactionFiles files) {
        this.files = files;
    }

    @Override
    public BackupLocation backup(SetupPlan plan) throws IOException {
        return files.backup(plan);
    }

    @Override
    public boolean installPolicy(PolicyChange policy) throws IOException {
        return files.installPolicy(policy);
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
