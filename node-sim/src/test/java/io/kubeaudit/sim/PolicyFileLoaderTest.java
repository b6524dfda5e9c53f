package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileLoaderTest {

    private static final KubeVersion V129 = new KubeVersion(1, 29, 0);
    private static final String SHOWN = "/etc/kubernetes/audit-policy.yaml";

    @Test
    void everyValidCorpusPolicyLoads() throws Exception {
        List<Path> valid = Corpus.files("policies");
        assertEquals(8, valid.size());
        for (Path p : valid) {
            PolicyFileLoader.Loaded loaded = PolicyFileLoader.load(SHOWN, p, V129);
            assertTrue(loaded.policy().rules().size() > 0, p.toString());
        }
    }

    @Test
    void theInvalidCorpusPoliciesFailWithTheServersMessages() throws Exception {
        Path dir = Corpus.files("policies/invalid").get(0).getParent();
        assertEquals("loading audit policy file: failed decoding: no kind \"Policy\" is registered for version "
                + "\"audit.k8s.io/v1beta1\" in scheme \"pkg/runtime/scheme.go:100\": from file " + SHOWN,
                fail(dir.resolve("gravity-issue-1661-v1beta1-removed-in-k8s-1.24.yaml"), V129));
        // ... which 1.23 still accepted.
        PolicyFileLoader.load(SHOWN, dir.resolve("gravity-issue-1661-v1beta1-removed-in-k8s-1.24.yaml"), new KubeVersion(1, 23, 0));
        assertEquals("loading audit policy file: unknown group version field audit.k8s.io/__internal, Kind=Policy in policy: "
                + "from file " + SHOWN, fail(dir.resolve("k8s-issue-51565-missing-kind-and-apiversion.yaml"), V129));
        assertEquals("loading audit policy file: loaded illegal policy with 0 rules: from file " + SHOWN,
                fail(dir.resolve("rke2-issue-410-empty-rules.yaml"), V129));
    }

    @Test
    void aMissingFileIsReportedWithTheContainerPath(@TempDir Path dir) {
        assertEquals("loading audit policy file: failed to read file path \"" + SHOWN + "\": open " + SHOWN
                + ": no such file or directory", fail(dir.resolve("absent.yaml"), V129));
    }

    @Test
    void aTypoIsOnlyAWarningAndSilentlyWidensTheRule(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.yaml"), """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                - level: None
                  verb: [watch]
                - level: Metadata
                """);
        PolicyFileLoader.Loaded loaded = PolicyFileLoader.load(SHOWN, p, V129);
        assertEquals(List.of("Audit policy contains errors, falling back to lenient decoding: strict decoding error: "
                + "unknown field \"rules[0].verb\""), loaded.warnings());
        RequestInfo anyGet = new RequestInfo(new RequestInfo.UserInfo("kubernetes-admin", "", List.of()), "get", true, "", "v1",
                "secrets", "", "prod", "db", "/api/v1/namespaces/prod/secrets/db");
        assertEquals(ServerPolicy.Level.NONE, loaded.policy().evaluate(anyGet).level(),
                "the intended watch-only rule now drops every request");
    }

    @Test
    void syntaxTypesAndRulesAreCheckedLikeTheServer(@TempDir Path dir) throws Exception {
        assertEquals("loading audit policy file: failed decoding: yaml: line 4: could not find expected ':': from file " + SHOWN,
                fail(Files.writeString(dir.resolve("a.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules\n- level: None\n"),
                        V129));
        assertEquals("loading audit policy file: failed decoding: json: cannot unmarshal string into Go struct field "
                + "PolicyRule.rules.verbs of type []string: from file " + SHOWN,
                fail(Files.writeString(dir.resolve("b.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
                        + "- level: None\n  verbs: get\n"), V129));
        assertEquals("loading audit policy file: [rules[0].level: Unsupported value: \"Everything\": supported values: "
                + "\"Metadata\", \"None\", \"Request\", \"RequestResponse\", rules[1].nonResourceURLs[0]: Invalid value: "
                + "\"healthz\": non-resource URL rules must begin with a '/' character]: from file " + SHOWN,
                fail(Files.writeString(dir.resolve("c.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
                        + "- level: Everything\n- level: None\n  nonResourceURLs: [healthz]\n"), V129));
    }

    private static final KubeVersion V1_20_2 = new KubeVersion(1, 20, 2);

    private static Path write(Path dir, String rules) throws Exception {
        return Files.writeString(dir.resolve("p-" + Math.abs(rules.hashCode()) + ".yaml"),
                "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n" + rules);
    }

    @Test
    void aYamlBooleanWhereAStringBelongsStopsTheServerWithItsDecodersMessage(@TempDir Path dir) throws Exception {
        Path y = write(dir, "- level: None\n  namespaces: [y]\n");
        // json-iterator (1.12 to 1.22), the message seen on a real v1.20.2
        assertEquals("loading audit policy file: failed decoding: v1.Policy.Rules: []v1.PolicyRule: v1.PolicyRule.Namespaces:"
                + " []string: ReadString: expects \" or n, but found t, error found in #10 byte of ...|spaces\":[true]}]}|...,"
                + " bigger context ...|:\"Policy\",\"rules\":[{\"level\":\"None\",\"namespaces\":[true]}]}|...: from file " + SHOWN,
                fail(y, V1_20_2));
        // sigs.k8s.io/json (1.23 and newer)
        assertEquals("loading audit policy file: failed decoding: json: cannot unmarshal bool into Go struct field"
                + " PolicyRule.rules.namespaces of type string: from file " + SHOWN, fail(y, V129));
        assertTrue(fail(write(dir, "- level: None\n  users: [n]\n"), V1_20_2).contains("v1.PolicyRule.Users: []string: ReadString:"
                + " expects \" or n, but found f"));
    }

    @Test
    void go113NumberPrefixesAreIntegersFrom117(@TempDir Path dir) throws Exception {
        Path octal = write(dir, "- level: None\n  namespaces: [0o17]\n- level: Metadata\n");
        assertTrue(fail(octal, V1_20_2).contains("ReadString: expects \" or n, but found 1"), fail(octal, V1_20_2));
        ServerPolicy old = PolicyFileLoader.load(SHOWN, octal, new KubeVersion(1, 16, 15)).policy();
        assertEquals(List.of("0o17"), old.rules().get(0).namespaces(), "built with Go 1.12: the string");
    }

    @Test
    void omitManagedFieldsIsDroppedWithoutAWordBefore123(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("m.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitManagedFields: true\n"
                + "rules:\n- level: Metadata\n");
        PolicyFileLoader.Loaded on120 = PolicyFileLoader.load(SHOWN, p, V1_20_2);
        assertEquals(List.of(), on120.warnings());
        assertEquals(false, on120.policy().omitManagedFields());
        assertEquals(true, PolicyFileLoader.load(SHOWN, p, new KubeVersion(1, 23, 0)).policy().omitManagedFields());
    }

    @Test
    void aRepeatedKeyKeepsItsLastValueWithAWarningFrom126(@TempDir Path dir) throws Exception {
        Path p = write(dir, "- level: None\n  level: Metadata\n");
        PolicyFileLoader.Loaded loaded = PolicyFileLoader.load(SHOWN, p, V129);
        assertEquals(ServerPolicy.Level.METADATA, loaded.policy().rules().get(0).level());
        assertEquals(List.of("Audit policy contains errors, falling back to lenient decoding: strict decoding error: error"
                + " converting YAML to JSON: yaml: unmarshal errors:\n  line 5: key \"level\" already set in map"), loaded.warnings());
        assertEquals(List.of(), PolicyFileLoader.load(SHOWN, p, new KubeVersion(1, 25, 0)).warnings());
    }

    @Test
    void apiVersionAndKindAreFoundWithoutRegardToCase(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("c.yaml"), "APIVersion: audit.k8s.io/v1\nKIND: Policy\nrules:\n- level: Metadata\n");
        PolicyFileLoader.Loaded loaded = PolicyFileLoader.load(SHOWN, p, V129);
        assertEquals(1, loaded.policy().rules().size());
        assertEquals(List.of("Audit policy contains errors, falling back to lenient decoding: strict decoding error: unknown field"
                + " \"APIVersion\", unknown field \"KIND\""), loaded.warnings());
    }

    @Test
    void theWildcardGroupIsValidFrom136(@TempDir Path dir) throws Exception {
        Path p = write(dir, "- level: Metadata\n  resources:\n  - group: \"*\"\n");
        assertTrue(fail(p, new KubeVersion(1, 35, 0)).contains("rules[0].resources.group: Invalid value: \"*\""));
        ServerPolicy policy = PolicyFileLoader.load(SHOWN, p, new KubeVersion(1, 36, 0)).policy();
        RequestInfo get = new RequestInfo(new RequestInfo.UserInfo("u", "", List.of()), "get", true, "apps", "v1", "deployments",
                "", "ns", "d", "/apis/apps/v1/namespaces/ns/deployments/d");
        assertEquals(ServerPolicy.Level.METADATA, policy.evaluate(get).level());
    }

    @Test
    void whatJsonCannotHoldFailsTheConversion(@TempDir Path dir) throws Exception {
        assertEquals("loading audit policy file: failed decoding: json: unsupported value: NaN: from file " + SHOWN,
                fail(write(dir, "- level: None\n  namespaces: [.nan]\n"), V129));
    }

    @Test
    void aJsonFileIsDecodedAsItIs(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.json"), "{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\","
                + " \"rules\": [{\"level\": \"None\", \"namespaces\": [\"y\"]}, {\"level\": \"Metadata\"}]}");
        assertEquals(List.of("y"), PolicyFileLoader.load(SHOWN, p, V1_20_2).policy().rules().get(0).namespaces());
    }

    private static String fail(Path file, KubeVersion version) {
        return assertThrows(StartupException.class, () -> PolicyFileLoader.load(SHOWN, file, version)).getMessage();
    }
}
