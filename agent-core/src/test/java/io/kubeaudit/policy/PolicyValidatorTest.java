package io.kubeaudit.policy;

import static io.kubeaudit.policy.TestPolicies.FILE;
import static io.kubeaudit.policy.TestPolicies.HEADER;
import static io.kubeaudit.policy.TestPolicies.errors;
import static io.kubeaudit.policy.TestPolicies.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyValidatorTest {

    static Stream<Path> validCorpus() {
        return TestPolicies.yamlFiles("policies");
    }

    @ParameterizedTest
    @MethodSource("validCorpus")
    void everyCorpusPolicyValidates(Path file) throws Exception {
        AuditPolicy policy = PolicyValidator.validate(file.toString(), TestPolicies.read(file));
        assertFalse(policy.rules().isEmpty());
    }

    @Test
    void theCorpusHoldsTheExpectedPolicies() {
        assertEquals(8, validCorpus().count());
        assertEquals(3, TestPolicies.yamlFiles("policies/invalid").count());
    }

    @Test
    void removedV1beta1IsRefusedNamingTheVersionAndTheFix() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> TestPolicies.corpus("policies/invalid/gravity-issue-1661-v1beta1-removed-in-k8s-1.24.yaml"));
        assertEquals(1, e.errors().size());
        assertEquals("gravity-issue-1661-v1beta1-removed-in-k8s-1.24.yaml:1:13: apiVersion \"audit.k8s.io/v1beta1\" was removed"
                + " in Kubernetes 1.24 (deprecated since 1.21): kube-apiserver 1.24 and newer refuse to start with it (no kind"
                + " \"Policy\" is registered for version \"audit.k8s.io/v1beta1\"); change it to audit.k8s.io/v1, the fields are"
                + " the same", e.getMessage());
    }

    @Test
    void v1alpha1IsRefusedToo() {
        List<String> errors = errors("apiVersion: audit.k8s.io/v1alpha1\nkind: Policy\nrules:\n- level: Metadata\n");
        assertEquals(List.of("policy.yaml:1:13: apiVersion \"audit.k8s.io/v1alpha1\" was removed in Kubernetes 1.24 (deprecated"
                + " since 1.21): kube-apiserver 1.24 and newer refuse to start with it (no kind \"Policy\" is registered for"
                + " version \"audit.k8s.io/v1alpha1\"); change it to audit.k8s.io/v1, the fields are the same"), errors);
    }

    @Test
    void missingApiVersionAndKindAreBothReported() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> TestPolicies.corpus("policies/invalid/k8s-issue-51565-missing-kind-and-apiversion.yaml"));
        List<String> errors = e.errors().stream().map(PolicyError::toString).toList();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("k8s-issue-51565-missing-kind-and-apiversion.yaml:2:1: apiVersion is missing"), errors.get(0));
        assertEquals("k8s-issue-51565-missing-kind-and-apiversion.yaml:2:1: kind is missing: add \"kind: Policy\"", errors.get(1));
        assertEquals(errors.get(0) + "\n" + errors.get(1), e.getMessage(), "the message lists every error, one per line");
    }

    @Test
    void emptyRulesAreRefusedAsTheServerDoes() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
                () -> TestPolicies.corpus("policies/invalid/rke2-issue-410-empty-rules.yaml"));
        assertEquals("rke2-issue-410-empty-rules.yaml:3:8: rules is empty: the API server refuses a policy with 0 rules"
                + " (loaded illegal policy with 0 rules); add at least \"- level: Metadata\"", e.getMessage());
    }

    @Test
    void missingRulesAreRefused() {
        assertEquals(List.of("policy.yaml:1:1: rules is missing: a policy needs at least one rule, such as \"- level: Metadata\""
                + " (the API server refuses one without: loaded illegal policy with 0 rules)"), errors(HEADER));
    }

    @Test
    void misspeltFieldIsRefusedWithPositionRuleAndSuggestion() {
        String yaml = HEADER + "rules:\n  - level: None\n    verb: [\"watch\"]\n";
        List<String> errors = errors(yaml);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("policy.yaml:5:5: unknown field \"rules[0].verb\" (did you mean \"verbs\"?): "
                + "kube-apiserver would drop it"), errors.get(0));
    }

    @Test
    void unknownFieldsAreFoundAtEveryLevel() {
        String yaml = HEADER + "omitStage: [RequestReceived]\nmetadata:\n  nmae: x\nrules:\n- level: Metadata\n  resources:\n"
                + "  - group: \"\"\n    resource: [pods]\n- level: None\n  Users: [alice]\n";
        List<String> errors = errors(yaml);
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("policy.yaml:3:1: unknown field \"omitStage\" (did you mean \"omitStages\"?)"));
        assertTrue(errors.get(1).startsWith("policy.yaml:5:3: unknown field \"metadata.nmae\" (did you mean \"name\"?)"));
        assertTrue(errors.get(2).startsWith("policy.yaml:10:5: unknown field \"rules[0].resources[0].resource\" (did you mean"
                + " \"resources\"?)"), errors.get(2));
        assertTrue(errors.get(3).startsWith("policy.yaml:12:3: unknown field \"rules[1].Users\" (did you mean \"users\"?)"),
                "field names are case-sensitive, as in the API server's strict decoder: " + errors.get(3));
    }

    @Test
    void badLevelPointsAtTheValueAndSuggests() {
        List<String> errors = errors(HEADER + "rules:\n- level: Metadata\n- level: metadata\n- level: RequestReponse\n");
        assertEquals(List.of(
                "policy.yaml:5:10: rules[1].level \"metadata\" is not a level; use one of None, Metadata, Request,"
                        + " RequestResponse (did you mean \"Metadata\"?)",
                "policy.yaml:6:10: rules[2].level \"RequestReponse\" is not a level; use one of None, Metadata, Request,"
                        + " RequestResponse (did you mean \"RequestResponse\"?)"), errors);
    }

    @Test
    void missingLevelNamesTheRule() {
        assertEquals(List.of("policy.yaml:5:3: rules[1].level is missing: every rule needs one of None, Metadata, Request,"
                + " RequestResponse"), errors(HEADER + "rules:\n- level: Metadata\n- users: [alice]\n"));
    }

    @Test
    void badStagesAreRefusedInRulesAndPolicyWide() {
        List<String> errors = errors(HEADER + "omitStages:\n  - RequestRecieved\nrules:\n- level: Metadata\n"
                + "  omitStages: [ResponseStarted, ResponseCompleted]\n");
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("policy.yaml:4:5: omitStages[0] \"RequestRecieved\" is not a stage; use"
                + " RequestReceived, ResponseStarted, ResponseComplete, Panic (did you mean \"RequestReceived\"?) (the API"
                + " server never checks the policy-wide omitStages"), errors.get(0));
        assertEquals("policy.yaml:7:33: rules[0].omitStages[1] \"ResponseCompleted\" is not a stage; use RequestReceived,"
                + " ResponseStarted, ResponseComplete, Panic (did you mean \"ResponseComplete\"?)", errors.get(1));
    }

    @Test
    void groupWithVersionOrCapitalsIsRefused() {
        List<String> errors = errors(HEADER + "rules:\n- level: Metadata\n  resources:\n"
                + "  - group: rbac.authorization.k8s.io/v1\n  - group: Apps\n  - group: \"\"\n  - group: apps\n");
        assertEquals(List.of(
                "policy.yaml:6:12: rules[0].resources[0].group \"rbac.authorization.k8s.io/v1\" must not carry a version:"
                        + " write \"rbac.authorization.k8s.io\" (a rule matches every version of its group)",
                "policy.yaml:7:12: rules[0].resources[1].group \"Apps\" is not a valid API group: it must be \"\" for the core"
                        + " group or a lowercase DNS subdomain such as \"apps\" or \"rbac.authorization.k8s.io\""), errors);
    }

    @Test
    void resourceNamesNeedResources() {
        assertEquals(List.of("policy.yaml:7:5: rules[0].resources[0].resourceNames needs resources: names only narrow the"
                + " resources listed beside them (the API server refuses this: using resourceNames requires at least one resource)"),
                errors(HEADER + "rules:\n- level: None\n  resources:\n  - group: \"\"\n    resourceNames: [controller-leader]\n"));
    }

    @Test
    void nonResourceUrlsMustStartWithSlashAndEndWithTheOnlyStar() {
        List<String> errors = errors(HEADER + "rules:\n- level: None\n  nonResourceURLs:\n  - healthz\n  - /api/*/foo\n"
                + "  - \"*\"\n  - /healthz*\n");
        assertEquals(List.of(
                "policy.yaml:6:5: rules[0].nonResourceURLs[0] \"healthz\" must start with \"/\" (or be \"*\" for every URL)",
                "policy.yaml:7:5: rules[0].nonResourceURLs[1] \"/api/*/foo\": \"*\" is only allowed as the last character"
                        + " (a prefix match such as \"/healthz*\")"), errors);
    }

    @Test
    void nonResourceUrlsCannotBeMixedWithResourcesOrNamespaces() {
        List<String> errors = errors(HEADER + "rules:\n- level: None\n  namespaces: [kube-system]\n  nonResourceURLs: [/healthz]\n");
        assertEquals(List.of("policy.yaml:6:3: rules[0] selects both nonResourceURLs and namespaces: a rule applies either to"
                + " resource requests or to non-resource URLs; split it into two rules"), errors);
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedAsTheServerWouldFailToDecodeThem() {
        List<String> errors = errors(HEADER + "rules:\n- level: Metadata\n  users: alice\n  namespaces: [123]\n"
                + "  omitManagedFields: \"yes\"\n");
        assertEquals(List.of(
                "policy.yaml:5:10: rules[0].users must be a list, found \"alice\"",
                "policy.yaml:6:16: rules[0].namespaces[0] is 123, which kube-apiserver reads as the integer 123 (YAML 1.1,"
                        + " as its go-yaml v2 resolves it), not a string: the server would refuse to start (failed decoding);"
                        + " quote it: \"123\"",
                "policy.yaml:7:22: rules[0].omitManagedFields is the quoted string \"yes\", which kube-apiserver cannot read"
                        + " as true or false: the server would refuse to start (failed decoding); write true or false without"
                        + " quotes"), errors);
    }

    @Test
    void everyErrorIsCollectedInOneRun() {
        List<String> errors = errors("apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Loud\n- verb: [get]\n  level: None\n");
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("policy.yaml:1:13: apiVersion"));
        assertTrue(errors.get(1).startsWith("policy.yaml:4:10: rules[0].level \"Loud\""));
        assertTrue(errors.get(2).startsWith("policy.yaml:5:3: unknown field \"rules[1].verb\""));
    }

    @Test
    void wrongKindAndForeignApiVersionAreRefused() {
        assertEquals(List.of(
                "policy.yaml:1:13: apiVersion \"v1\" is not an audit policy version: use audit.k8s.io/v1 (no kind \"Policy\" is"
                        + " registered for any other version)",
                "policy.yaml:2:7: kind \"Pod\" is not an audit policy: the file given to --audit-policy-file must have \"kind: Policy\""),
                errors("apiVersion: v1\nkind: Pod\nrules:\n- level: Metadata\n"));
    }

    @Test
    void goMarshalledMetadataIsAccepted() throws Exception {
        AuditPolicy policy = parse(HEADER + "metadata:\n  name: audit\n  creationTimestamp: null\n  labels: {team: sec}\n"
                + "rules:\n- level: Metadata\n");
        assertEquals(1, policy.rules().size());
    }

    @Test
    void leadingDocumentMarkerAndJsonWork() throws Exception {
        assertEquals(1, parse("---\n" + HEADER + "rules:\n- level: Metadata\n").rules().size());
        assertEquals(1, parse("{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\", \"rules\": [{\"level\": \"None\"}]}")
                .rules().size());
    }

    @Test
    void yamlProblemsAreRefusedWithTheirPlace() {
        assertEquals(List.of("policy.yaml: file is empty"), errors("# only a comment\n"));
        List<String> syntax = errors(HEADER + "rules:\n- level: Metadata\n  users: [alice\n");
        assertTrue(syntax.get(0).startsWith("policy.yaml:6:1: not valid YAML"), syntax.toString());
        List<String> twoDocs = errors(HEADER + "rules:\n- level: Metadata\n---\n" + HEADER + "rules:\n- level: None\n");
        assertTrue(twoDocs.get(0).contains("holds 2 YAML documents"), twoDocs.toString());
        List<String> duplicate = errors(HEADER + "rules:\n- level: Metadata\n  level: None\n");
        assertTrue(duplicate.get(0).startsWith("policy.yaml:5:3: duplicate key"), duplicate.toString());
    }

    @Test
    void theModelHoldsWhatTheFileSays() throws Exception {
        AuditPolicy gce = TestPolicies.corpus("policies/gce-gke-configure-helper-rendered-audit-policy.yaml");
        assertEquals(17, gce.rules().size());
        PolicyRule first = gce.rules().get(0);
        assertEquals(AuditLevel.NONE, first.level());
        assertEquals(List.of("system:kube-proxy"), first.users());
        assertEquals(List.of("watch"), first.verbs());
        assertEquals(List.of("endpoints", "services", "services/status"), first.resources().get(0).resources());
        assertEquals("", first.resources().get(0).group());
        assertEquals(6, first.location().line());
        PolicyRule last = gce.rules().get(16);
        assertTrue(last.isCatchAll());
        assertEquals(Set.of(AuditStage.REQUEST_RECEIVED), last.omitStages());
        assertEquals(List.of("/healthz*", "/version", "/swagger*"), gce.rules().get(8).nonResourceURLs());

        AuditPolicy rke2 = TestPolicies.corpus("policies/rke2-pr511-cis-default-policy-metadata-creationtimestamp-null.yaml");
        assertEquals("", rke2.rules().get(0).resources().get(0).group(), "a resources entry without group is the core group");
    }

    @Test
    void omitManagedFieldsIsReadWithItsPlace() throws Exception {
        AuditPolicy policy = parse(HEADER + "omitManagedFields: true\nrules:\n- level: Metadata\n  omitManagedFields: false\n");
        assertEquals(List.of(new ManagedFieldsOption(true, new SourceLocation("policy.yaml", 3, 1)),
                new ManagedFieldsOption(false, new SourceLocation("policy.yaml", 6, 3))),
                policy.managedFieldsOptions());
    }

    @Test
    void serverVersionChecksNameTheServer() throws Exception {
        String plain = HEADER + "rules:\n- level: Metadata\n";
        PolicyValidator.validate(FILE, plain, Optional.of(new KubeVersion(1, 12, 0)));
        InvalidInputException old = assertThrows(InvalidInputException.class,
                () -> PolicyValidator.validate(FILE, plain, Optional.of(new KubeVersion(1, 11, 10))));
        assertTrue(old.getMessage().startsWith("policy.yaml:1:13: kube-apiserver v1.11.10 does not know audit.k8s.io/v1 (added"
                + " in 1.12) and would refuse to start"), old.getMessage());

        String managed = HEADER + "rules:\n- level: Metadata\n  omitManagedFields: true\n";
        PolicyValidator.validate(FILE, managed, Optional.of(new KubeVersion(1, 23, 0)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PolicyValidator.validate(FILE, managed, Optional.of(new KubeVersion(1, 20, 2))));
        assertEquals("policy.yaml:5:3: rules[0].omitManagedFields is not a field of kube-apiserver v1.20.2's audit.k8s.io/v1"
                + " Policy (it arrived in 1.23): that server drops it without a word and logs managed fields anyway; remove it,"
                + " or upgrade the control plane first (the bundled minimal, recommended and cis work from 1.12)", e.getMessage());
    }
}
