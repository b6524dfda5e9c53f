package io.kubeaudit.policy;

import static io.kubeaudit.policy.TestPolicies.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.yaml.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLinterTest {

    private static List<String> codes(AuditPolicy policy) {
        return PolicyLinter.lint(policy).stream().map(LintFinding::code).toList();
    }

    private static List<LintFinding> findings(AuditPolicy policy, String code) {
        return PolicyLinter.lint(policy).stream().filter(f -> f.code().equals(code)).toList();
    }

    private static LintFinding only(AuditPolicy policy, String code) {
        List<LintFinding> found = findings(policy, code);
        assertEquals(1, found.size(), PolicyLinter.lint(policy).toString());
        return found.get(0);
    }

    // --- corpus: what real policies get told ---

    @Test
    void tutugodfreyNoneCatchAllAndNodeRuleLeakingTokens() throws InvalidInputException {
        AuditPolicy policy = TestPolicies.corpus("policies/tutugodfrey-cks-prep-killer-sh-style-none-catch-all.yaml");
        assertEquals(List.of("request-received-logged", "sensitive-body", "none-catch-all"), codes(policy));
        LintFinding leak = only(policy, "sensitive-body");
        assertEquals(9, leak.location().line());
        assertEquals("rules[1] logs request and response bodies of configmaps, tokenreviews (authentication.k8s.io),"
                + " serviceaccounts/token at RequestResponse because the rule names no resources (for the users, groups, verbs"
                + " or namespaces it names)", leak.message(), "secrets are safe: rules[0] logs them at Metadata for everyone");
        LintFinding none = only(policy, "none-catch-all");
        assertEquals(12, none.location().line());
        assertTrue(none.explanation().contains("\"- level: Metadata\""));
    }

    @Test
    void falcoRulesLeakConfigMapsAndPutDeploymentsInTheCoreGroup() throws InvalidInputException {
        AuditPolicy policy = TestPolicies.corpus("policies/falco-k8saudit-plugin-audit-policy.yaml");
        assertEquals(List.of("wrong-group", "sensitive-body", "sensitive-body"), codes(policy));
        LintFinding group = only(policy, "wrong-group");
        assertEquals("falco-k8saudit-plugin-audit-policy.yaml:10:7", group.location().toString());
        assertEquals("rules[0].resources[0]: \"deployments\" is not served by the core group \"\" but by group \"apps\" or group"
                + " \"extensions\", so this entry never matches it", group.message());
        List<LintFinding> leaks = findings(policy, "sensitive-body");
        assertEquals("rules[6] logs request bodies of configmaps at Request (for the users, groups, verbs or namespaces it names)",
                leaks.get(0).message());
        assertEquals("rules[7] logs request and response bodies of configmaps at RequestResponse", leaks.get(1).message());
    }

    @Test
    void labPolicyLeaksSecretWritesThroughItsRequestResponseCatchAll() throws InvalidInputException {
        AuditPolicy policy = TestPolicies.corpus("auditlogs/real-kube-apiserver-v1.20.2-lab/POLICY.yaml");
        assertEquals(List.of("request-received-logged", "sensitive-body", "catch-all-request-response"), codes(policy));
        assertTrue(only(policy, "sensitive-body").message().startsWith("rules[2] logs request and response bodies of secrets,"),
                "the Metadata rule for secrets covers reads only, so writes fall through");
    }

    @Test
    void rke2CisDefaultLogsOnlyPodsAndEveryStageTwice() throws InvalidInputException {
        AuditPolicy policy = TestPolicies.corpus("policies/rke2-pr511-cis-default-policy-metadata-creationtimestamp-null.yaml");
        assertEquals(List.of("no-catch-all", "request-received-logged"), codes(policy));
    }

    @Test
    void docsExampleLogsKubeSystemConfigMapBodies() throws InvalidInputException {
        AuditPolicy policy = TestPolicies.corpus("policies/k8s-website-docs-example-audit-policy.yaml");
        assertEquals(List.of("sensitive-body"), codes(policy));
        assertEquals(43, only(policy, "sensitive-body").location().line());
    }

    @Test
    void audit2rbacDemoLogsOnlyListedUsersAndDropsPanics() throws InvalidInputException {
        AuditPolicy policy = TestPolicies.corpus("policies/audit2rbac-demo-policy-rule-level-omitstages-panic.yaml");
        assertEquals(List.of("no-catch-all", "panic-omitted"), codes(policy));
    }

    @Test
    void gkeDerivedPoliciesAreClean() throws InvalidInputException {
        for (String file : List.of("gce-gke-configure-helper-rendered-audit-policy.yaml",
                "kubespray-apiserver-audit-policy-rendered-defaults.yaml",
                "unbyte-de-etc-kubernetes-hardened-gke-style-leading-docmarker.yaml")) {
            assertEquals(List.of(), PolicyLinter.lint(TestPolicies.corpus("policies/" + file)), file);
        }
    }

    // --- crafted: each check and its limits ---

    @Test
    void onlyNoneRulesLogNothing() throws InvalidInputException {
        AuditPolicy rke2Default = TestPolicies.parse(TestPolicies.HEADER + "rules:\n- level: None\n");
        assertEquals(List.of("logs-nothing"), codes(rke2Default));
    }

    @Test
    void wildcardAndGroupWideRulesLeakSecrets() throws InvalidInputException {
        AuditPolicy wildcard = rules("- level: Request\n  resources:\n  - group: \"\"\n    resources: [\"*\"]\n- level: Metadata\n");
        LintFinding leak = only(wildcard, "sensitive-body");
        assertEquals("rules[0] logs request bodies of secrets, configmaps at Request through \"*\"", leak.message());
        AuditPolicy groupWide = rules("- level: RequestResponse\n  resources:\n  - group: authentication.k8s.io\n- level: Metadata\n");
        assertEquals("rules[0] logs request and response bodies of tokenreviews (authentication.k8s.io) at RequestResponse"
                + " through the whole group \"authentication.k8s.io\"", only(groupWide, "sensitive-body").message());
    }

    @Test
    void requestLevelReadsOrTokenRequestsDoNotLeak() throws InvalidInputException {
        AuditPolicy reads = rules("- level: Request\n  verbs: [get, list, watch]\n- level: Metadata\n");
        assertEquals(List.of(), codes(reads), "reads carry no request body");
        AuditPolicy tokenRequest = rules("- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets, configmaps]\n"
                + "  - group: authentication.k8s.io\n    resources: [tokenreviews]\n"
                + "- level: Request\n  resources:\n  - group: \"\"\n- level: Metadata\n");
        assertEquals(List.of(), codes(tokenRequest), "a TokenRequest's request body holds no token, its response does");
    }

    @Test
    void aPartialMetadataRuleDoesNotProtectLaterRules() throws InvalidInputException {
        AuditPolicy policy = rules("- level: Metadata\n  namespaces: [prod]\n  resources:\n  - group: \"\"\n    resources: [secrets]\n"
                + "- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [secrets]\n- level: Metadata\n");
        assertEquals("rules[1] logs request and response bodies of secrets at RequestResponse",
                only(policy, "sensitive-body").message());
    }

    @Test
    void missingCatchAllIsReportedAtTheLastRule() throws InvalidInputException {
        AuditPolicy policy = rules("- level: Metadata\n  verbs: [create]\n- level: Request\n  users: [alice]\n");
        LintFinding finding = only(policy, "no-catch-all");
        assertEquals(7, finding.location().line());
        assertTrue(finding.explanation().contains("\"- level: Metadata\""), finding.explanation());
    }

    @Test
    void shadowedRulesNameTheRuleThatHidesThem() throws InvalidInputException {
        AuditPolicy policy = rules(
                "- level: None\n  users: [system:kube-proxy]\n"
                        + "- level: Metadata\n  users: [system:kube-proxy]\n  verbs: [watch]\n  resources:\n  - group: \"\"\n"
                        + "    resources: [endpoints]\n"
                        + "- level: Request\n  resources:\n  - group: apps\n    resources: [\"*\"]\n"
                        + "- level: RequestResponse\n  namespaces: [prod]\n  resources:\n  - group: apps\n"
                        + "    resources: [deployments, \"deployments/scale\"]\n"
                        + "- level: None\n  nonResourceURLs: [\"/healthz*\"]\n"
                        + "- level: None\n  nonResourceURLs: [/healthz/etcd]\n"
                        + "- level: Metadata\n"
                        + "- level: Request\n  verbs: [get]\n");
        List<LintFinding> shadowed = findings(policy, "shadowed-rule");
        assertEquals(List.of(
                "rules[1] (Metadata) can never match: rules[0] (None) comes first and selects every request it would",
                "rules[3] (RequestResponse) can never match: rules[2] (Request) comes first and selects every request it would",
                "rules[5] (None) can never match: rules[4] (None) comes first and selects every request it would",
                "rules[7] (Request) can never match: rules[6] (Metadata) comes first and selects every request it would"),
                shadowed.stream().map(LintFinding::message).toList());
    }

    @Test
    void narrowerEarlierRulesShadowNothingButNamedObjectsAfterTheirKindAre() throws InvalidInputException {
        AuditPolicy policy = rules(
                "- level: None\n  users: [system:kube-proxy]\n  verbs: [watch]\n"
                        + "- level: Metadata\n  users: [system:kube-proxy]\n"
                        + "- level: Request\n  resources:\n  - group: \"\"\n    resources: [pods]\n"
                        + "- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [pods/log]\n"
                        + "- level: Request\n  resources:\n  - group: \"\"\n    resources: [pods]\n    resourceNames: [a]\n"
                        + "- level: Metadata\n  namespaces: [prod]\n"
                        + "- level: Metadata\n");
        assertEquals(List.of("rules[4] (Request) can never match: rules[2] (Request) comes first and selects every request it would"),
                findings(policy, "shadowed-rule").stream().map(LintFinding::message).toList());
    }

    @Test
    void stagesThatLoseOrDoubleEvents() throws InvalidInputException {
        AuditPolicy policy = TestPolicies.parse(TestPolicies.HEADER + "rules:\n"
                + "- level: Metadata\n  omitStages: [ResponseComplete]\n- level: None\n- level: Request\n  omitStages: [RequestReceived]\n");
        LintFinding doubled = only(policy, "request-received-logged");
        assertEquals("RequestReceived is not omitted for rules[0]: each request is logged twice", doubled.message(),
                "None rules log nothing, rules omitting it themselves are fine");
        assertEquals(4, only(policy, "response-complete-omitted").location().line());
    }

    @Test
    void wrongGroupsAndTheCoreGroupSpeltV1() throws InvalidInputException {
        AuditPolicy policy = rules("- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [tokenreviews, pods]\n"
                + "  - group: v1\n    resources: [pods]\n  - group: example.com\n    resources: [deployments]\n"
                + "  - group: apps\n    resources: [\"deployments/scale\"]\n- level: Metadata\n");
        List<String> messages = findings(policy, "wrong-group").stream().map(LintFinding::message).toList();
        assertEquals(List.of(
                "rules[0].resources[0]: \"tokenreviews\" is not served by the core group \"\" but by group"
                        + " \"authentication.k8s.io\", so this entry never matches it",
                "rules[0].resources[1] names group \"v1\", which does not exist: the core group (pods, secrets, ...) is written \"\""),
                messages, "custom groups may define any resource name");
    }

    @Test
    void literalWildcardsAndVerbsNoRequestCarries() throws InvalidInputException {
        AuditPolicy policy = rules("- level: Metadata\n  verbs: [\"*\", Get, bind, updat]\n  users: [\"system:serviceaccount:*\"]\n"
                + "  resources:\n  - group: \"\"\n    resources: [\"po*\", \"pods/*\", \"*/status\", \"a/b/c\"]\n"
                + "    resourceNames: [\"web-*\"]\n- level: Metadata\n");
        List<String> messages = PolicyLinter.lint(policy).stream()
                .filter(f -> f.code().equals("literal-wildcard") || f.code().equals("unknown-verb")).map(LintFinding::message).toList();
        assertEquals(List.of(
                "rules[0].users \"system:serviceaccount:*\" never matches: the API server compares it literally, \"*\" is no wildcard here",
                "rules[0].verbs \"*\" never matches: the API server compares it literally, \"*\" is no wildcard here",
                "rules[0].verbs \"Get\" matches no request (did you mean \"get\"?)",
                "rules[0].verbs \"bind\" matches no request",
                "rules[0].verbs \"updat\" matches no request (did you mean \"update\"?)",
                "rules[0].resources[0].resourceNames \"web-*\" never matches: the API server compares it literally, \"*\" is no"
                        + " wildcard here",
                "rules[0].resources[0].resources \"po*\" never matches: the API server compares it literally, \"*\" is no wildcard here",
                "rules[0].resources[0].resources \"a/b/c\" never matches: the API server compares it literally, \"*\" is no"
                        + " wildcard here"), messages);
        assertTrue(findings(policy, "unknown-verb").get(1).explanation().contains("authorization check"));
    }

    @Test
    void everyFindingExplainsItself() throws InvalidInputException {
        AuditPolicy messy = TestPolicies.parse(TestPolicies.HEADER + "rules:\n- level: RequestResponse\n  verbs: [\"*\"]\n"
                + "- level: RequestResponse\n");
        List<LintFinding> found = PolicyLinter.lint(messy);
        assertTrue(found.size() >= 3, found.toString());
        for (LintFinding f : found) {
            assertTrue(f.explanation().length() > 40, f.code());
            assertTrue(f.location().line() > 0, f.code());
        }
    }
}
