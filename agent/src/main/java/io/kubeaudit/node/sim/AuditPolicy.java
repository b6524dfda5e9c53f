package io.kubeaudit.node.sim;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loaded audit policy and the real server's rule matching (k8s.io/apiserver audit/policy/checker.go):
 * the first rule that matches decides the level; no match means {@code None}. Omitted stages are the
 * policy's own plus the matching rule's.
 */
record AuditPolicy(List<Rule> rules, List<String> omitStages) {

    AuditPolicy {
        rules = List.copyOf(rules);
        omitStages = List.copyOf(omitStages);
    }

    record GroupResources(String group, List<String> resources, List<String> resourceNames) {
        GroupResources {
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
        }
    }

    record Rule(String level, List<String> users, List<String> userGroups, List<String> verbs,
                List<GroupResources> resources, List<String> namespaces, List<String> nonResourceURLs,
                List<String> omitStages) {
        Rule {
            users = List.copyOf(users);
            userGroups = List.copyOf(userGroups);
            verbs = List.copyOf(verbs);
            resources = List.copyOf(resources);
            namespaces = List.copyOf(namespaces);
            nonResourceURLs = List.copyOf(nonResourceURLs);
            omitStages = List.copyOf(omitStages);
        }

        boolean matches(RequestAttributes r) {
            if (!users.isEmpty() && !users.contains(r.user().username())) {
                return false;
            }
            if (!userGroups.isEmpty() && r.user().groups().stream().noneMatch(userGroups::contains)) {
                return false;
            }
            if (!verbs.isEmpty() && !verbs.contains(r.verb())) {
                return false;
            }
            return r.resourceRequest() ? matchesResource(r) : matchesNonResource(r.path());
        }

        private boolean matchesNonResource(String path) {
            if (!resources.isEmpty() || !namespaces.isEmpty()) {
                return false;
            }
            if (nonResourceURLs.isEmpty()) {
                return true;
            }
            for (String url : nonResourceURLs) {
                if (url.equals("*") || url.equals(path)
                        || (url.endsWith("*") && path.startsWith(url.substring(0, url.length() - 1)))) {
                    return true;
                }
            }
            return false;
        }

        private boolean matchesResource(RequestAttributes r) {
            if (!nonResourceURLs.isEmpty()) {
                return false;
            }
            if (!namespaces.isEmpty() && !namespaces.contains(r.namespace())) {
                return false;
            }
            if (resources.isEmpty()) {
                return true;
            }
            String combined = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
            for (GroupResources gr : resources) {
                if (!gr.group().equals(r.apiGroup())) {
                    continue;
                }
                if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(r.name())) {
                    continue;
                }
                for (String res : gr.resources()) {
                    if (res.equals(combined) || res.equals("*")
                            || (!r.subresource().isEmpty() && res.equals("*/" + r.subresource()))
                            || (res.endsWith("/*") && res.substring(0, res.length() - 2).equals(r.resource()))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** The level and omitted stages for one request. */
    record Decision(AuditLevel level, Set<String> omitStages) {
        static final Decision NONE = new Decision(AuditLevel.None, Set.of());

        boolean records(String stage) {
            return level != AuditLevel.None && !omitStages.contains(stage);
        }
    }

    Decision decide(RequestAttributes request) {
        for (Rule rule : rules) {
            if (rule.matches(request)) {
                Set<String> omit = new LinkedHashSet<>(omitStages);
                omit.addAll(rule.omitStages());
                return new Decision(AuditLevel.valueOf(rule.level()), omit);
            }
        }
        return Decision.NONE;
    }
}
