package io.kubeaudit.policy;

import io.kubeaudit.yaml.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One rule of an audit policy. Empty selector lists mean "any". The first rule that matches a
 * request decides its level; {@code index} is the rule's position in {@code rules}, as error
 * messages and the API server's own field paths ({@code rules[3]}) count.
 */
public record PolicyRule(int index, SourceLocation location, AuditLevel level, List<String> users, List<String> userGroups,
                         List<String> verbs, List<GroupResources> resources, List<String> namespaces,
                         List<String> nonResourceURLs, Set<AuditStage> omitStages,
                         Optional<ManagedFieldsOption> omitManagedFields) {

    public PolicyRule {
        if (index < 0) {
            throw new IllegalArgumentException("rule index must not be negative: " + index);
        }
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(level, "level");
        users = List.copyOf(users);
        userGroups = List.copyOf(userGroups);
        verbs = List.copyOf(verbs);
        resources = List.copyOf(resources);
        namespaces = List.copyOf(namespaces);
        nonResourceURLs = List.copyOf(nonResourceURLs);
        omitStages = Set.copyOf(omitStages);
        Objects.requireNonNull(omitManagedFields, "omitManagedFields");
        if (!nonResourceURLs.isEmpty() && (!resources.isEmpty() || !namespaces.isEmpty())) {
            throw new IllegalArgumentException("a rule cannot select both non-resource URLs and resources or namespaces");
        }
    }

    /** {@code rules[3]}: the path the API server and this agent's messages use. */
    public String path() {
        return "rules[" + index + "]";
    }

    /** Applies only to resource requests (it names resources or namespaces). */
    public boolean selectsResources() {
        return !resources.isEmpty() || !namespaces.isEmpty();
    }

    /** Applies only to non-resource requests such as {@code /healthz}. */
    public boolean selectsNonResourceURLs() {
        return !nonResourceURLs.isEmpty();
    }

    /** Matches every request: no selector at all. */
    public boolean isCatchAll() {
        return users.isEmpty() && userGroups.isEmpty() && verbs.isEmpty() && !selectsResources() && !selectsNonResourceURLs();
    }
}
