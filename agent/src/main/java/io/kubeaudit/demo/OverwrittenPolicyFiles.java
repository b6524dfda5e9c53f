package io.kubeaudit.demo;

import io.kubeaudit.apply.ForwardingFiles;
import io.kubeaudit.apply.PolicyChange;
import io.kubeaudit.apply.TransactionFiles;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The node's files with a second writer fighting over the policy: right after the agent installs its
 * policy, this one overwrites it (as a configuration-management run shipping an old policy would).
 * The demo uses it to show a server refusing its policy, which the agent's own validation never lets
 * through.
 */
final class OverwrittenPolicyFiles extends ForwardingFiles {

    private final byte[] overwriteWith;

    OverwrittenPolicyFiles(TransactionFiles files, byte[] overwriteWith) {
        super(files);
        this.overwriteWith = overwriteWith.clone();
    }

    @Override
    public boolean installPolicy(PolicyChange policy) throws IOException {
        boolean written = super.installPolicy(policy);
        Files.write(policy.hostPath(), overwriteWith);
        return written;
    }
}
