package io.kubeaudit.policy;

import io.kubeaudit.yaml.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * One {@code resources} entry of a rule: an API group ("" is the core group) and optionally
 * resources ({@code pods}, {@code pods/log}, {@code *}, {@code pods/*}, {@code *}{@code /scale}) and
 * names. No resources means every resource of the group.
 */
public record GroupResources(String group, List<String> resources, List<String> resourceNames, SourceLocation location) {

    public GroupResources {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(location, "location");
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
    }

    public boolean isWholeGroup() {
        return resources.isEmpty();
    }
}
