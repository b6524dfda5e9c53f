package io.kubeaudit.policy;

import io.kubeaudit.yaml.SourceLocation;
import java.util.Objects;

/**
 * An {@code omitManagedFields} setting and where it was written: the field only exists on
 * kube-apiserver 1.23 and newer, so a server check must be able to point at it.
 */
public record ManagedFieldsOption(boolean omit, SourceLocation location) {

    public ManagedFieldsOption {
        Objects.requireNonNull(location, "location");
    }
}
