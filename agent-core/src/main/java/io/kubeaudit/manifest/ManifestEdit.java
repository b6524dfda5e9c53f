package io.kubeaudit.manifest;

import java.util.List;

/**
 * The outcome of an edit: the manifest before and after, and what changed, in words an operator reads.
 *
 * @param changes one sentence per change (flags, mounts, annotations, repairs); empty when unchanged
 */
public record ManifestEdit(String before, String after, List<String> changes) {

    public ManifestEdit {
        if (before == null || after == null) {
            throw new IllegalArgumentException("manifest text must not be null");
        }
        changes = List.copyOf(changes);
    }

    public boolean changed() {
        return !before.equals(after);
    }

    /** {@code diff -u} style, 3 lines of context, both sides labelled {@code label}; "" when unchanged. */
    public String unifiedDiff(String label) {
        return UnifiedDiff.of(before, after, label, 3);
    }
}
