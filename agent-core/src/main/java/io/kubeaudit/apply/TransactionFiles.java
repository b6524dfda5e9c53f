package io.kubeaudit.apply;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Every file the transaction writes, behind one small interface (as kubeadm's StaticPodPathManager):
 * the transaction speaks in these verbs, and tests swap in files that fail or halt on step N.
 */
public interface TransactionFiles {

    /** Copies the manifest (and the policy it replaces) to both backup places. */
    BackupLocation backup(SetupPlan plan) throws IOException;

    /** Writes the policy atomically, mode 0600; false when it was already identical. */
    boolean installPolicy(PolicyChange policy) throws IOException;

    /** Puts back what the policy file held before, or removes it when there was none. */
    void restorePolicy(PolicyChange policy) throws IOException;

    /** Replaces the manifest atomically (hidden temp file, fsync, rename, fsync dir). */
    void writeManifest(Path manifest, byte[] content, Set<PosixFilePermission> mode) throws IOException;

    /** Removes hidden temp files a killed run left in the manifests directory; returns them. */
    List<Path> removeStaleTemps(Path manifest) throws IOException;
}
