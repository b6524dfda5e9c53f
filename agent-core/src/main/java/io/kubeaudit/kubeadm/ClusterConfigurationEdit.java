package io.kubeaudit.kubeadm;

import io.kubeaudit.manifest.UnifiedDiff;
import java.util.List;
import java.util.Objects;

/**
 * One change of the ClusterConfiguration: its text before and after (both as the agent writes YAML, so the
 * diff shows the change and not kubeadm's formatting), the record to store with it, and what changed.
 *
 * @param changes one line per extraArg or extraVolume added, changed or removed; empty when the
 *                arguments, volumes and record are what the ConfigMap already has
 */
record ClusterConfigurationEdit(String before, String after, WriteThroughRecord record, boolean recordChanged, List<String> changes) {

    ClusterConfigurationEdit {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(record, "record");
        changes = List.copyOf(changes);
    }

    /** Whether the ConfigMap must be written; a new layout of the same settings is not a change. */
    boolean changed() {
        return !changes.isEmpty() || recordChanged;
    }

    String diff() {
        return UnifiedDiff.of(before, after, KubeadmConfigMap.OBJECT + " " + KubeadmConfigMap.KEY, 3);
    }
}
