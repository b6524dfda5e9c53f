package io.kubeaudit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyCheckerTest {

    private static final String ALICE = "alice";
    private static final List<String> PEOPLE = List.of("system:authenticated", "devs");

    private static RequestAttributes get(String group, String resource, String subresource, String namespace, String name) {
        return RequestAttributes.resource(ALICE, PEOPLE, "get", group, resource, subresource, namespace, name);
    }

    private static AuditLevel level(AuditPolicy policy, RequestAttributes request) {
        return PolicyChecker.decide(policy, request).level();
    }

    @Test
    void theFirstMatchingRuleWinsAndNoMatchMeansNone() throws Exception {
        AuditPolicy policy = TestPolicies.parse(TestPolicies.HEADER + "omitStages: [RequestReceived]\nrules:\n"
                + "- level: Request\n  users: [alice]\n  verbs: [get]\n"
                + "- level: RequestResponse\n  users: [alice]\n  omitStages: [Panic]\n");
        AuditDecision first = PolicyChecker.decide(policy, get("", "pods", "", "default", "web"));
        assertEquals(AuditLevel.REQUEST, first.level());
        assertEquals(0, first.rule().orElseThrow().index());
        AuditDecision second = PolicyChecker.decide(policy,
                RequestAttributes.resource(ALICE, PEOPLE, "delete", "", "pods", "", "default", "web"));
        assertEquals(AuditLevel.REQUEST_RESPONSE, second.level());
        assertEquals(Set.of(AuditStage.REQUEST_RECEIVED, AuditStage.PANIC), second.omitStages(), "policy and rule stages are unioned");
        AuditDecision none = PolicyChecker.decide(policy, RequestAttributes.resource("bob", List.of(), "get", "", "pods", "", "", ""));
        assertEquals(AuditLevel.NONE, none.level());
        assertTrue(none.rule().isEmpty());
    }

    @Test
    void resourcePatternsMatchAsTheApiServerDoes() throws Exception {
        AuditPolicy policy = TestPolicies.rules("- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [\"pods/*\"]\n"
                + "- level: Request\n  resources:\n  - group: apps\n    resources: [\"*/scale\"]\n"
                + "- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [\"*\"]\n");
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, get("", "pods", "", "ns", "p")), "pods/* matches pods itself");
        assertEquals(AuditLevel.REQUEST_RESPONSE, level(policy, get("", "pods", "log", "ns", "p")));
        assertEquals(AuditLevel.REQUEST, level(policy, get("apps", "deployments", "scale", "ns", "d")));
        assertEquals(AuditLevel.NONE, level(policy, get("apps", "deployments", "", "ns", "d")), "*/scale needs the subresource");
        assertEquals(AuditLevel.METADATA, level(policy, get("", "secrets", "", "ns", "s")));
        assertEquals(AuditLevel.METADATA, level(policy, get("", "services", "proxy", "ns", "s")), "* matches subresources too");
    }

    @Test
    void plainResourceDoesNotMatchItsSubresources() throws Exception {
        AuditPolicy policy = TestPolicies.rules("- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [pods]\n");
        assertEquals(AuditLevel.METADATA, level(policy, get("", "pods", "", "ns", "p")));
        assertEquals(AuditLevel.NONE, level(policy, get("", "pods", "exec", "ns", "p")));
    }

    @Test
    void namesNamespacesAndGroupsNarrowTheMatch() throws Exception {
        AuditPolicy policy = TestPolicies.rules("- level: None\n  namespaces: [\"\"]\n"
                + "- level: Request\n  userGroups: [devs]\n  namespaces: [prod]\n  resources:\n  - group: \"\"\n"
                + "    resources: [configmaps]\n    resourceNames: [app-config]\n"
                + "- level: Metadata\n");
        assertEquals(AuditLevel.NONE, level(policy, get("", "nodes", "", "", "n1")), "\"\" selects cluster-scoped objects");
        assertEquals(AuditLevel.REQUEST, level(policy, get("", "configmaps", "", "prod", "app-config")));
        assertEquals(AuditLevel.METADATA, level(policy, get("", "configmaps", "", "prod", "other")));
        assertEquals(AuditLevel.METADATA, level(policy, get("", "configmaps", "", "dev", "app-config")));
        assertEquals(AuditLevel.METADATA, level(policy,
                RequestAttributes.resource("bob", List.of("ops"), "get", "", "configmaps", "", "prod", "app-config")));
        assertEquals(AuditLevel.METADATA, level(policy, RequestAttributes.nonResource(ALICE, PEOPLE, "get", "/healthz")),
                "a namespaces rule never matches non-resource requests");
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByTrailingStar() throws Exception {
        AuditPolicy policy = TestPolicies.rules("- level: None\n  nonResourceURLs: [\"/healthz*\", /version]\n- level: Metadata\n");
        assertEquals(AuditLevel.NONE, level(policy, RequestAttributes.nonResource(ALICE, PEOPLE, "get", "/healthz/etcd")));
        assertEquals(AuditLevel.NONE, level(policy, RequestAttributes.nonResource(ALICE, PEOPLE, "get", "/version")));
        assertEquals(AuditLevel.METADATA, level(policy, RequestAttributes.nonResource(ALICE, PEOPLE, "get", "/version/x")));
        assertEquals(AuditLevel.METADATA, level(policy, get("", "pods", "", "ns", "p")), "a URL rule never matches resources");
    }
}
