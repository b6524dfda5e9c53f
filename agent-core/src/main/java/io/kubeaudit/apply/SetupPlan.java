package io.kubeaudit.apply;

import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.ManifestEdit;
import io.kubeaudit.manifest.UnifiedDiff;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything preflight worked out before anything is touched: what the manifest is and will be,
 * which policy goes where, and how to reach the local server afterwards.
 *
 * @param manifestFile host path of the kube-apiserver manifest
 * @param original     its bytes now: what the backup holds and a rollback writes back
 * @param originalMode its mode now, restored with it
 * @param before       the manifest now, parsed
 * @param after        the manifest as it will be, parsed
 * @param edit         the edit between the two
 * @param policy       the policy file to install (setup only)
 * @param warnings     what the operator should know but does not stop the run
 */
record SetupPlan(Operation operation, Path manifestFile, String manifestNodePath, byte[] original,
                 Set<PosixFilePermission> originalMode, ApiServerManifest before, ApiServerManifest after, ManifestEdit edit,
                 Optional<PolicyChange> policy, List<String> warnings) {

    SetupPlan {
        Objects.requireNonNull(operation, "operation");
        original = original.clone();
        originalMode = Set.copyOf(originalMode);
        warnings = List.copyOf(warnings);
    }

    @Override
    public byte[] original() {
        return original.clone();
    }

    SetupPlan withWarning(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new SetupPlan(operation, manifestFile, manifestNodePath, original, originalMode, before, after, edit, policy, all);
    }

    boolean changesManifest() {
        return edit.changed();
    }

    boolean changesPolicy() {
        return policy.isPresent() && !policy.get().upToDate();
    }

    boolean changesAnything() {
        return changesManifest() || changesPolicy();
    }

    byte[] newManifest() {
        return after.text().getBytes(StandardCharsets.UTF_8);
    }

    /** Unified diffs of what would change: the manifest, then the policy file. */
    String diff() {
        return diff(true);
    }

    /** Unified diffs of what would change: the manifest, then the policy file (whole, or as a summary). */
    String diff(boolean fullPolicyDiff) {
        StringBuilder out = new StringBuilder();
        if (changesManifest()) {
            out.append(edit.unifiedDiff(manifestNodePath));
        }
        if (changesPolicy()) {
            PolicyChange p = policy.get();
            if (fullPolicyDiff) {
                String old = p.previous().map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
                out.append(UnifiedDiff.of(old, new String(p.content(), StandardCharsets.UTF_8), p.nodePath(), 3));
            } else {
                out.append(PolicySummary.of(p));
            }
        }
        return out.toString();
    }
}
