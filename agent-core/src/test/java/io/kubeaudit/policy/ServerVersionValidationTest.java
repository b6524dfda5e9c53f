package io.kubeaudit.policy;

import static io.kubeaudit.policy.TestPolicies.FILE;
import static io.kubeaudit.policy.TestPolicies.HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The validator reads a policy as a given kube-apiserver version does: its YAML scalars, fields and apiVersions. */
class ServerVersionValidationTest {

    private static final Optional<KubeVersion> V1_20_2 = Optional.of(new KubeVersion(1, 20, 2));

    private static List<String> errors(String yaml, Optional<KubeVersion> server) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyValidator.validate(FILE, yaml, server));
        return e.errors().stream().map(PolicyError::toString).toList();
    }

    private static AuditPolicy valid(String yaml, Optional<KubeVersion> server) throws Exception {
        return PolicyValidator.validate(FILE, yaml, server);
    }

    @Test
    void theThreeScalarsFromTheIssueAreRefusedWithWhatTheServerReads() {
        List<String> errors = errors(HEADER + "rules:\n- level: None\n  namespaces: [y]\n- level: None\n  users: [n]\n"
                + "- level: Metadata\n  namespaces: [0o17]\n", V1_20_2);
        assertEquals(List.of(
                "policy.yaml:5:16: rules[0].namespaces[0] is y, which kube-apiserver v1.20.2 reads as the boolean true (YAML 1.1,"
                        + " as its go-yaml v2 resolves it), not a string: the server would refuse to start (failed decoding);"
                        + " quote it: \"y\"",
                "policy.yaml:7:11: rules[1].users[0] is n, which kube-apiserver v1.20.2 reads as the boolean false (YAML 1.1,"
                        + " as its go-yaml v2 resolves it), not a string: the server would refuse to start (failed decoding);"
                        + " quote it: \"n\"",
                "policy.yaml:9:16: rules[2].namespaces[0] is 0o17, which kube-apiserver v1.20.2 reads as the integer 15 (YAML"
                        + " 1.1, as its go-yaml v2 resolves it), not a string: the server would refuse to start (failed"
                        + " decoding); quote it: \"0o17\""), errors);
    }

    @Test
    void quotedScalarsAreStrings() throws Exception {
        AuditPolicy p = valid(HEADER + "rules:\n- level: None\n  namespaces: [\"y\", '0o17', \"1e3\"]\n- level: Metadata\n", V1_20_2);
        assertEquals(List.of("y", "0o17", "1e3"), p.rules().get(0).namespaces());
    }

    @Test
    void aFormOnlyNewerBuildsReadAsANumberIsRefusedSoAnUpgradeCannotBreakIt() {
        List<String> errors = errors(HEADER + "rules:\n- level: None\n  namespaces: [1e3]\n- level: Metadata\n",
                Optional.of(new KubeVersion(1, 16, 1)));
        assertEquals(List.of("policy.yaml:5:16: rules[0].namespaces[0] is 1e3: kube-apiserver v1.16.1 reads the string, but"
                + " newer builds (1.17 and newer, some 1.13 to 1.16 patch releases) read the number 1000 and refuse to start"
                + " (failed decoding); quote it (\"1e3\") so every version reads the string"), errors);
    }

    @Test
    void nullWhereAValueBelongsSaysWhatTheServerReadsInstead() {
        List<String> errors = errors(HEADER + "rules:\n- level: None\n  users:\n- level: None\n  namespaces: [~]\n"
                + "- level: Metadata\n  resources:\n  - group:\n", Optional.empty());
        assertEquals(List.of(
                "policy.yaml:5:3: rules[0].users is null (nothing after the colon, ~ or null), which kube-apiserver reads as"
                        + " no list: the rule then applies to every user; remove the key if that is meant, or list the values",
                "policy.yaml:7:16: rules[1].namespaces[0] is null, which kube-apiserver reads as the empty string \"\""
                        + " (requests outside any namespace); write \"\" if that is meant, or the value in quotes",
                "policy.yaml:10:5: rules[2].resources[0].group is null, which kube-apiserver reads as \"\" (the core API"
                        + " group); write group: \"\" for the core group"), errors);
    }

    @Test
    void yamlBooleanWordsAreBooleansWhereABooleanBelongs() throws Exception {
        AuditPolicy p = valid(HEADER + "omitManagedFields: yes\nrules:\n- level: Metadata\n  omitManagedFields: n\n", Optional.empty());
        assertTrue(p.omitManagedFields().orElseThrow().omit());
        assertEquals(false, p.rules().get(0).omitManagedFields().orElseThrow().omit());
    }

    @Test
    void omitManagedFieldsIsRefusedBefore123WhereTheServerDropsIt() {
        List<String> errors = errors(HEADER + "omitManagedFields: true\nrules:\n- level: Metadata\n", V1_20_2);
        assertEquals(List.of("policy.yaml:3:1: omitManagedFields is not a field of kube-apiserver v1.20.2's audit.k8s.io/v1"
                + " Policy (it arrived in 1.23): that server drops it without a word and logs managed fields anyway; remove it,"
                + " or upgrade the control plane first (the bundled minimal, recommended and cis work from 1.12)"), errors);
    }

    @Test
    void v1beta1StillLoadsBefore124ButIsRefusedSinceTheUpgradeWouldBreakIt() {
        String v1beta1 = "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n";
        assertEquals(List.of("policy.yaml:1:13: apiVersion \"audit.k8s.io/v1beta1\" still loads on kube-apiserver v1.20.2, but it"
                + " was removed in Kubernetes 1.24: after a control-plane upgrade to 1.24 or newer the API server would refuse"
                + " to start with it (no kind \"Policy\" is registered for version \"audit.k8s.io/v1beta1\"); change it to"
                + " audit.k8s.io/v1, the fields are the same"), errors(v1beta1, V1_20_2));
        assertTrue(errors(v1beta1, Optional.of(new KubeVersion(1, 22, 0))).get(0).contains("v1.22.0 (with a deprecation warning)"));
        assertTrue(errors(v1beta1, Optional.of(new KubeVersion(1, 24, 0))).get(0).contains("kube-apiserver v1.24.0 refuse to start"));
    }

    @Test
    void theWildcardGroupIsValidFrom136Only() throws Exception {
        String wildcard = HEADER + "rules:\n- level: Metadata\n  resources:\n  - group: \"*\"\n    resources: [secrets]\n";
        assertEquals(List.of("policy.yaml:6:12: rules[0].resources[0].group \"*\" is a wildcard only from kube-apiserver 1.36;"
                + " v1.35.2 refuses to start with it (not a valid API group); list the groups instead"),
                errors(wildcard, Optional.of(new KubeVersion(1, 35, 2))));
        AuditPolicy p = valid(wildcard, Optional.of(new KubeVersion(1, 36, 0)));
        assertEquals(AuditLevel.METADATA, PolicyChecker.decide(p, RequestAttributes.resource("u", List.of(), "get", "example.com",
                "secrets", "", "ns", "s")).level());
    }

    @Test
    void unknownFieldsAreDroppedSilentlyBefore126AndWithAWarningAfter() {
        String typo = HEADER + "rules:\n- level: None\n  verb: [get]\n- level: Metadata\n";
        assertTrue(errors(typo, Optional.of(new KubeVersion(1, 25, 16))).get(0).contains("kube-apiserver v1.25.16 would drop it"
                + " without a word"));
        assertTrue(errors(typo, Optional.of(new KubeVersion(1, 26, 0))).get(0).contains("kube-apiserver v1.26.0 would drop it"
                + " with only a warning in its log"));
    }

    @Test
    void fieldNamesAreCaseSensitiveAsInBothJsonDecoders() {
        List<String> errors = errors(HEADER + "rules:\n- Level: None\n  level: Metadata\n", Optional.empty());
        assertTrue(errors.get(0).startsWith("policy.yaml:4:3: unknown field \"rules[0].Level\" (did you mean \"level\"?)"), errors.get(0));
    }

    @Test
    void aJsonPolicyIsReadToo() throws Exception {
        AuditPolicy p = valid("{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\", \"rules\": [{\"level\": \"None\","
                + " \"namespaces\": [\"y\"]}, {\"level\": \"Metadata\"}]}", V1_20_2);
        assertEquals(List.of("y"), p.rules().get(0).namespaces());
    }

    @Test
    void mergeKeysAreRefusedWithTheirFix() {
        List<String> errors = errors(HEADER + "rules:\n- &base {level: Metadata}\n- <<: *base\n  users: [a]\n", Optional.empty());
        assertEquals(List.of("policy.yaml:5:3: rules[1].<<: YAML merge keys are not accepted in a policy (YAML readers disagree"
                + " on them); write the fields out"), errors.subList(0, 1));
    }
}
