package io.kubeaudit.apply;

import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.policy.PolicyInstaller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The real files of the node. Every replacement goes through {@link AtomicFileWriter}, restores included. */
final class NodeFiles implements TransactionFiles {

    private final ManifestBackup backup;

    NodeFiles(ManifestBackup backup) {
        this.backup = backup;
    }

    @Override
    public BackupLocation backup(SetupPlan plan) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(plan.manifestFile().getFileName().toString(), plan.original());
        Optional<byte[]> policy = plan.policy().flatMap(PolicyChange::previous);
        if (policy.isPresent()) {
            files.put(plan.policy().get().hostPath().getFileName().toString(), policy.get());
        }
        return backup.save(files);
    }

    @Override
    public boolean installPolicy(PolicyChange policy) throws IOException {
        return PolicyInstaller.install(policy.hostPath(), policy.content());
    }

    @Override
    public void restorePolicy(PolicyChange policy) throws IOException {
        Optional<byte[]> previous = policy.previous();
        if (previous.isPresent()) {
            AtomicFileWriter.write(policy.hostPath(), previous.get(), AtomicFileWriter.OWNER_READ_WRITE);
        } else if (Files.deleteIfExists(policy.hostPath())) {
            AtomicFileWriter.fsyncDirectory(policy.hostPath().getParent());
        }
    }

    @Override
    public void writeManifest(Path manifest, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        AtomicFileWriter.write(manifest, content, mode);
    }

    @Override
    public List<Path> removeStaleTemps(Path manifest) throws IOException {
        return AtomicFileWriter.removeStaleTemps(manifest);
    }
}
