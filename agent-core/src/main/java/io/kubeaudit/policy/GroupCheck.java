package io.kubeaudit.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Built-in resources named under a built-in group that does not serve them (Deployments under
 * the core group, TokenReviews under ""), and the core group spelt "v1" or "core": such entries
 * load fine and never match.
 */
final class GroupCheck implements LintCheck {

    /** Which built-in groups serve each well-known resource, old ones ("extensions") included. */
    private static final Map<String, Set<String>> SERVED_BY = Map.ofEntries(
            Map.entry("pods", Set.of("")), Map.entry("services", Set.of("")), Map.entry("endpoints", Set.of("")),
            Map.entry("configmaps", Set.of("")), Map.entry("secrets", Set.of("")), Map.entry("serviceaccounts", Set.of("")),
            Map.entry("namespaces", Set.of("")), Map.entry("nodes", Set.of("")), Map.entry("persistentvolumes", Set.of("")),
            Map.entry("persistentvolumeclaims", Set.of("")), Map.entry("replicationcontrollers", Set.of("")),
            Map.entry("limitranges", Set.of("")), Map.entry("resourcequotas", Set.of("")), Map.entry("podtemplates", Set.of("")),
            Map.entry("events", Set.of("", "events.k8s.io")),
            Map.entry("deployments", Set.of("apps", "extensions")), Map.entry("daemonsets", Set.of("apps", "extensions")),
            Map.entry("replicasets", Set.of("apps", "extensions")), Map.entry("statefulsets", Set.of("apps")),
            Map.entry("controllerrevisions", Set.of("apps")),
            Map.entry("jobs", Set.of("batch")), Map.entry("cronjobs", Set.of("batch")),
            Map.entry("ingresses", Set.of("networking.k8s.io", "extensions")),
            Map.entry("networkpolicies", Set.of("networking.k8s.io", "extensions")),
            Map.entry("ingressclasses", Set.of("networking.k8s.io")),
            Map.entry("roles", Set.of("rbac.authorization.k8s.io")), Map.entry("rolebindings", Set.of("rbac.authorization.k8s.io")),
            Map.entry("clusterroles", Set.of("rbac.authorization.k8s.io")),
            Map.entry("clusterrolebindings", Set.of("rbac.authorization.k8s.io")),
            Map.entry("tokenreviews", Set.of("authentication.k8s.io")),
            Map.entry("subjectaccessreviews", Set.of("authorization.k8s.io")),
            Map.entry("selfsubjectaccessreviews", Set.of("authorization.k8s.io")),
            Map.entry("localsubjectaccessreviews", Set.of("authorization.k8s.io")),
            Map.entry("leases", Set.of("coordination.k8s.io")),
            Map.entry("horizontalpodautoscalers", Set.of("autoscaling")),
            Map.entry("poddisruptionbudgets", Set.of("policy")),
            Map.entry("podsecuritypolicies", Set.of("policy", "extensions")),
            Map.entry("storageclasses", Set.of("storage.k8s.io")), Map.entry("volumeattachments", Set.of("storage.k8s.io")),
            Map.entry("csidrivers", Set.of("storage.k8s.io")), Map.entry("csinodes", Set.of("storage.k8s.io")),
            Map.entry("customresourcedefinitions", Set.of("apiextensions.k8s.io")),
            Map.entry("mutatingwebhookconfigurations", Set.of("admissionregistration.k8s.io")),
            Map.entry("validatingwebhookconfigurations", Set.of("admissionregistration.k8s.io")),
            Map.entry("certificatesigningrequests", Set.of("certificates.k8s.io")),
            Map.entry("endpointslices", Set.of("discovery.k8s.io")),
            Map.entry("priorityclasses", Set.of("scheduling.k8s.io")),
            Map.entry("runtimeclasses", Set.of("node.k8s.io")),
            Map.entry("apiservices", Set.of("apiregistration.k8s.io")));
    /** Groups whose resources are all known above; custom groups may define any resource name. */
    private static final Set<String> BUILT_IN_GROUPS = SERVED_BY.values().stream().flatMap(Set::stream).collect(Collectors.toSet());

    @Override
    public List<LintFinding> check(AuditPolicy policy) {
        List<LintFinding> out = new ArrayList<>();
        for (PolicyRule rule : policy.rules()) {
            for (int i = 0; i < rule.resources().size(); i++) {
                GroupResources gr = rule.resources().get(i);
                String path = rule.path() + ".resources[" + i + "]";
                if (gr.group().equals("v1") || gr.group().equals("core")) {
                    out.add(new LintFinding("wrong-group", gr.location(), path + " names group \"" + gr.group()
                            + "\", which does not exist: the core group (pods, secrets, ...) is written \"\"",
                            "Core resources live at /api/v1 and their group is the empty string; \"" + gr.group()
                                    + "\" matches no request. Write group: \"\"."));
                    continue;
                }
                if (!BUILT_IN_GROUPS.contains(gr.group())) {
                    continue;
                }
                for (String resource : gr.resources()) {
                    String base = resource.contains("/") ? resource.substring(0, resource.indexOf('/')) : resource;
                    Set<String> servedBy = SERVED_BY.get(base);
                    if (servedBy != null && !servedBy.contains(gr.group())) {
                        out.add(new LintFinding("wrong-group", gr.location(), path + ": \"" + resource + "\" is not served by "
                                + describe(gr.group()) + " but by " + servedBy.stream().sorted().map(GroupCheck::describe)
                                .collect(Collectors.joining(" or ")) + ", so this entry never matches it",
                                "A rule matches the request's API group exactly. Move \"" + resource + "\" to an entry with"
                                        + " group: \"" + servedBy.stream().sorted().filter(g -> !g.equals("extensions")).findFirst()
                                        .orElse("") + "\"."));
                    }
                }
            }
        }
        return out;
    }

    private static String describe(String group) {
        return group.isEmpty() ? "the core group \"\"" : "group \"" + group + "\"";
    }
}
