package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.PolicyChecker;
import io.kubeaudit.policy.RequestAttributes;
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
        RequestAttributes anyGet = RequestAttributes.resource("kubernetes-admin", List.of(), "get", "", "secrets", "", "prod", "db");
        assertEquals(AuditLevel.NONE, PolicyChecker.decide(loaded.policy(), anyGet).level(),
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

    private static String fail(Path file, KubeVersion version) {
        return assertThrows(StartupException.class, () -> PolicyFileLoader.load(SHOWN, file, version)).getMessage();
    }
}
