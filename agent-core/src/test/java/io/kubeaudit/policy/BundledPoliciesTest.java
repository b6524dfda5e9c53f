package io.kubeaudit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped policies: valid, lint-clean, documented, and logging what their headers promise. */
class BundledPoliciesTest {

    private static final List<String> NODE = List.of("system:nodes", "system:authenticated");
    private static final List<String> ADMINS = List.of("system:masters", "system:authenticated");

    static Stream<String> names() {
        return PolicyCatalog.names().stream();
    }

    private static AuditPolicy bundled(String name) throws InvalidInputException {
        return PolicyValidator.validate(PolicyCatalog.bundled(name));
    }

    private static AuditLevel level(AuditPolicy policy, RequestAttributes request) {
        return PolicyChecker.decide(policy, request).level();
    }

    private static RequestAttributes admin(String verb, String group, String resource, String subresource, String namespace) {
        return RequestAttributes.resource("kubernetes-admin", ADMINS, verb, group, resource, subresource, namespace, "x");
    }

    @Test
    void theCatalogListsExactlyTheFilesInPolicies() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../policies"))) {
            List<String> onDisk = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(PolicyCatalog.names().stream().map(n -> n + ".yaml").sorted().toList(), onDisk);
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void validLintCleanAndDocumented(String name) throws Exception {
        PolicyDocument document = PolicyCatalog.bundled(name);
        AuditPolicy policy = PolicyValidator.validate(document);
        assertEquals(List.of(), PolicyLinter.lint(policy));
        String text = document.text();
        assertTrue(text.startsWith("# " + name + ": "), "the first line names the policy and says what it is");
        for (String section : List.of("# For:", "# Logs:", "# Drops:", "# Volume:", "# Needs:")) {
            assertTrue(text.contains(section), name + " header lacks " + section);
        }
        assertFalse(document.description().isBlank());
        assertTrue(policy.omitStages().contains(AuditStage.REQUEST_RECEIVED));
        assertTrue(policy.rules().get(policy.rules().size() - 1).isCatchAll(), "ends with a catch-all");
        assertEquals(AuditLevel.METADATA, policy.rules().get(policy.rules().size() - 1).level());
    }

    @ParameterizedTest
    @MethodSource("names")
    void noPolicyLogsCredentialBodies(String name) throws Exception {
        AuditPolicy policy = bundled(name);
        for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
            assertTrue(level(policy, admin(verb, "", "secrets", "", "prod")).compareTo(AuditLevel.METADATA) <= 0, name + " " + verb);
            assertTrue(level(policy, admin(verb, "", "configmaps", "", "kube-system")).compareTo(AuditLevel.METADATA) <= 0);
        }
        assertTrue(level(policy, admin("create", "authentication.k8s.io", "tokenreviews", "", "")).compareTo(AuditLevel.METADATA) <= 0);
        assertTrue(level(policy, RequestAttributes.resource("system:node:n1", NODE, "create", "", "serviceaccounts", "token",
                "default", "sa")).compareTo(AuditLevel.METADATA) <= 0);
    }

    @Test
    void recommendedDropsNoiseAndKeepsWhatMatters() throws Exception {
        AuditPolicy policy = bundled("recommended");
        assertEquals(AuditLevel.NONE, level(policy, RequestAttributes.resource("system:kube-proxy", List.of(), "watch",
                "discovery.k8s.io", "endpointslices", "", "", "")));
        assertEquals(AuditLevel.NONE, level(policy, RequestAttributes.resource("system:node:n1", NODE, "get", "", "nodes", "", "", "n1")));
        assertEquals(AuditLevel.NONE, level(policy, RequestAttributes.resource("system:node:n1", NODE, "update",
                "coordination.k8s.io", "leases", "", "kube-node-lease", "n1")));
        assertEquals(AuditLevel.NONE, level(policy, RequestAttributes.nonResource("system:anonymous", List.of(), "get", "/readyz")));
        assertEquals(AuditLevel.NONE, level(policy, admin("create", "", "events", "", "default")));
        assertEquals(AuditLevel.REQUEST, level(policy, RequestAttributes.resource("system:node:n1", NODE, "patch", "", "nodes",
                "status", "", "n1")));
        assertEquals(AuditLevel.REQUEST, level(policy, admin("list", "", "pods", "", "prod")));
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, admin("create", "apps", "deployments", "", "prod")));
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, admin("create", "rbac.authorization.k8s.io", "clusterrolebindings",
                "", "")));
        assertEquals(AuditLevel.METADATA, level(policy, admin("create", "cert-manager.io", "certificates", "", "prod")),
                "custom resources may hold credentials: Metadata only");
        assertEquals(AuditLevel.METADATA, level(policy, RequestAttributes.nonResource("kubernetes-admin", ADMINS, "get", "/metrics")));
    }

    @Test
    void cisCoversWhatBenchmark322Asks() throws Exception {
        AuditPolicy policy = bundled("cis");
        assertEquals(AuditLevel.METADATA, level(policy, admin("get", "", "secrets", "", "prod")));
        assertEquals(AuditLevel.METADATA, level(policy, admin("create", "", "pods", "exec", "prod")));
        assertEquals(AuditLevel.METADATA, level(policy, admin("get", "", "services", "proxy", "prod")));
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, admin("patch", "", "pods", "", "prod")));
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, admin("update", "apps", "deployments", "", "prod")));
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, admin("create", "rbac.authorization.k8s.io", "rolebindings", "", "prod")));
        assertEquals(AuditLevel.METADATA, level(policy, admin("get", "apps", "deployments", "", "prod")), "reads carry no body");
    }

    @Test
    void forensicLogsEveryWriteInFullAndEveryRead() throws Exception {
        AuditPolicy policy = bundled("forensic");
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, admin("update", "coordination.k8s.io", "leases", "", "kube-system")));
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, admin("create", "cert-manager.io", "certificates", "", "prod")));
        assertEquals(AuditLevel.REQUEST, level(policy, admin("watch", "", "pods", "", "prod")));
        assertEquals(AuditLevel.NONE, level(policy, RequestAttributes.nonResource("system:anonymous", List.of(), "get", "/livez")));
        assertTrue(policy.omitManagedFields().orElseThrow().omit());
    }

    @Test
    void serverVersionsEachPolicyNeedsMatchTheirHeaders() throws Exception {
        for (String name : List.of("minimal", "recommended", "cis")) {
            PolicyValidator.validate(PolicyCatalog.bundled(name), Optional.of(new KubeVersion(1, 12, 0)));
            assertTrue(PolicyCatalog.bundled(name).text().contains("# Needs:  kube-apiserver 1.12 or newer"), name);
        }
        // omitManagedFields arrived in 1.23: a 1.20 server drops it without a word and logs managed fields anyway.
        InvalidPolicyException old = assertThrows(InvalidPolicyException.class,
                () -> PolicyValidator.validate(PolicyCatalog.bundled("forensic"), Optional.of(new KubeVersion(1, 22, 17))));
        assertTrue(old.getMessage().contains("omitManagedFields is not a field of kube-apiserver v1.22.17"), old.getMessage());
        PolicyValidator.validate(PolicyCatalog.bundled("forensic"), Optional.of(new KubeVersion(1, 23, 0)));
        assertTrue(PolicyCatalog.bundled("forensic").text().contains("# Needs:  kube-apiserver 1.23 or newer"));
    }
}
