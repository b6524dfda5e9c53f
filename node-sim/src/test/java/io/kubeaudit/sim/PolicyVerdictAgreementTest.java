package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.AuditStage;
import io.kubeaudit.policy.GroupResources;
import io.kubeaudit.policy.ManagedFieldsOption;
import io.kubeaudit.policy.PolicyRule;
import io.kubeaudit.policy.PolicyValidator;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's validator and the stand-in server's loader, two implementations written separately from the
 * server's sources, on the same tricky files for the same server versions. Both refuse, or both load the
 * same rules; where the validator refuses what the server loads, the row says why on purpose (the server
 * would load it with another meaning, or the next upgrade would break it).
 */
class PolicyVerdictAgreementTest {

    private static final String HEADER = "apiVersion: audit.k8s.io/v1\nkind: Policy\n";
    private static final String SHOWN = "/etc/kubernetes/audit-policy.yaml";

    private enum Expect { BOTH_LOAD_THE_SAME, BOTH_REFUSE, VALIDATOR_STRICTER }

    private record Case(String name, String version, String yaml, Expect expect, String why) {
        @Override
        public String toString() {
            return name + " @ " + version;
        }
    }

    private static Case same(String name, String version, String yaml) {
        return new Case(name, version, yaml, Expect.BOTH_LOAD_THE_SAME, "");
    }

    private static Case refused(String name, String version, String yaml) {
        return new Case(name, version, yaml, Expect.BOTH_REFUSE, "");
    }

    private static Case stricter(String name, String version, String yaml, String why) {
        return new Case(name, version, yaml, Expect.VALIDATOR_STRICTER, why);
    }

    private static String rules(String rules) {
        return HEADER + "rules:\n" + rules;
    }

    static Stream<Case> cases() {
        return Stream.of(
                // The three mistakes of the issue.
                refused("issue: namespaces [y] is a boolean", "1.20.2", rules("- level: None\n  namespaces: [y]\n- level: Metadata\n")),
                refused("issue: users [n] is a boolean", "1.20.2", rules("- level: None\n  users: [n]\n- level: Metadata\n")),
                refused("issue: namespaces [0o17] is 15", "1.20.2", rules("- level: Metadata\n  namespaces: [0o17]\n")),
                stricter("issue: omitManagedFields before 1.23", "1.20.2", HEADER + "omitManagedFields: true\nrules:\n- level: Metadata\n",
                        "the field does not exist there: dropped without a word, managed fields logged anyway"),
                stricter("omitManagedFields on a rule before 1.23", "1.22.17",
                        rules("- level: RequestResponse\n  omitManagedFields: true\n"), "dropped without a word"),
                same("omitManagedFields from 1.23", "1.23.0",
                        HEADER + "omitManagedFields: yes\nrules:\n- level: RequestResponse\n  omitManagedFields: n\n- level: Metadata\n"),
                // Scalars.
                same("quoted scalars are strings", "1.20.2",
                        rules("- level: None\n  namespaces: [\"y\", '0o17', \"1e3\", \"08\", \"~\"]\n- level: Metadata\n")),
                same("a timestamp reaches JSON as its text", "1.29.0", rules("- level: None\n  namespaces: [2001-12-14]\n- level: Metadata\n")),
                stricter("0o17 before Go 1.13", "1.16.15", rules("- level: Metadata\n  namespaces: [0o17]\n"),
                        "that build reads the string; 1.17 and newer read 15"),
                stricter("1e3 before go-yaml v2.2.4", "1.16.1", rules("- level: Metadata\n  namespaces: [1e3]\n"),
                        "that build reads the string; 1.16.2 and newer read 1000"),
                refused("1e3 from go-yaml v2.2.4", "1.16.2", rules("- level: Metadata\n  namespaces: [1e3]\n")),
                refused("08 is a float", "1.29.0", rules("- level: Metadata\n  users: [08]\n")),
                refused("0x1F is an integer", "1.12.0", rules("- level: Metadata\n  userGroups: [0x1F]\n")),
                refused("1_000 is an integer", "1.36.0", rules("- level: Metadata\n  verbs: [get, 1_000]\n")),
                refused(".nan cannot be JSON", "1.29.0", rules("- level: Metadata\n  namespaces: [.nan]\n")),
                refused("level on is a boolean", "1.29.0", rules("- level: on\n")),
                refused("a quoted boolean", "1.29.0", HEADER + "omitManagedFields: \"true\"\nrules:\n- level: Metadata\n"),
                refused("a JSON boolean where a string belongs", "1.20.2", "{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\","
                        + " \"rules\": [{\"level\": \"None\", \"namespaces\": [true]}, {\"level\": \"Metadata\"}]}"),
                same("a JSON policy", "1.29.0", "{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\", \"rules\":"
                        + " [{\"level\": \"None\", \"users\": [\"system:kube-proxy\"]}, {\"level\": \"Metadata\"}]}"),
                // Null.
                stricter("a null selector list", "1.29.0", rules("- level: None\n  users:\n- level: Metadata\n"),
                        "no list: the None rule applies to every user"),
                stricter("a null group", "1.29.0", rules("- level: Metadata\n  resources:\n  - group:\n    resources: [pods]\n"),
                        "read as \"\", the core group"),
                refused("a null level", "1.29.0", rules("- level: ~\n")),
                // Fields.
                stricter("a misspelt field", "1.29.0", rules("- level: None\n  verb: [watch]\n- level: Metadata\n"),
                        "dropped with a warning: the None rule matches every request"),
                stricter("a misspelt field before 1.26", "1.25.0", rules("- level: None\n  verb: [watch]\n- level: Metadata\n"),
                        "dropped without a word"),
                refused("field names are case-sensitive", "1.20.2", rules("- Level: None\n")),
                stricter("a repeated key", "1.29.0", rules("- level: None\n  level: Metadata\n"), "the last one wins"),
                refused("0 rules", "1.29.0", HEADER + "rules: []\n"),
                refused("a URL without a slash", "1.29.0", rules("- level: None\n  nonResourceURLs: [healthz]\n")),
                refused("an unknown stage", "1.29.0", rules("- level: Metadata\n  omitStages: [RequestRecieved]\n")),
                // apiVersions.
                stricter("v1beta1 before 1.24", "1.20.2", "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n",
                        "loads, but an upgrade to 1.24 would leave the server unable to start"),
                refused("v1beta1 from 1.24", "1.24.0", "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n"),
                refused("v1 before 1.12", "1.11.10", rules("- level: Metadata\n")),
                refused("the wildcard group before 1.36", "1.35.0", rules("- level: Metadata\n  resources:\n  - group: \"*\"\n")),
                same("the wildcard group from 1.36", "1.36.0", rules("- level: Metadata\n  resources:\n  - group: \"*\"\n"
                        + "    resources: [secrets]\n- level: None\n")));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validatorAndStandInAgree(Case c) throws Exception {
        KubeVersion version = KubeVersion.parse(c.version()).orElseThrow();
        Optional<AuditPolicy> validated = validate(c.yaml(), version);
        Optional<ServerPolicy> loaded = load(c.yaml(), version);
        switch (c.expect()) {
            case BOTH_REFUSE -> {
                assertTrue(validated.isEmpty(), "the validator accepted what the server refuses");
                assertTrue(loaded.isEmpty(), "the stand-in loaded what the validator says the server refuses");
            }
            case VALIDATOR_STRICTER -> {
                assertFalse(c.why().isEmpty());
                assertTrue(validated.isEmpty(), "the validator accepted it: " + c.why());
                assertTrue(loaded.isPresent(), "the stand-in refused it, so the row is not a case of the validator being stricter");
            }
            case BOTH_LOAD_THE_SAME -> {
                assertTrue(validated.isPresent() && loaded.isPresent(), "validator " + validated.isPresent() + ", stand-in "
                        + loaded.isPresent());
                assertEquals(describe(loaded.get()), describe(validated.get()));
            }
            default -> fail(c.expect().toString());
        }
    }

    @Test
    void theBundledPoliciesLoadTheSameOnTheOldestVersionEachClaims() throws Exception {
        for (String name : List.of("minimal", "recommended", "cis", "forensic")) {
            String text = io.kubeaudit.policy.PolicyCatalog.bundled(name).text();
            KubeVersion oldest = name.equals("forensic") ? new KubeVersion(1, 23, 0) : new KubeVersion(1, 12, 0);
            for (KubeVersion v : List.of(oldest, new KubeVersion(1, 36, 0))) {
                assertEquals(describe(load(text, v).orElseThrow()), describe(validate(text, v).orElseThrow()), name + " @ " + v);
            }
        }
    }

    @Test
    void theStandInSharesNoCodeWithTheValidator() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<String> sharing = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).matches("(?s).*import io\\.kubeaudit\\.(policy|yaml|manifest)\\..*");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
            assertEquals(List.of(), sharing);
        }
    }

    private static Optional<AuditPolicy> validate(String yaml, KubeVersion version) {
        try {
            return Optional.of(PolicyValidator.validate("policy.yaml", yaml, Optional.of(version)));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    private Optional<ServerPolicy> load(String yaml, KubeVersion version) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, "policy", ".yaml"), yaml);
        try {
            return Optional.of(PolicyFileLoader.load(SHOWN, file, version).policy());
        } catch (StartupException e) {
            return Optional.empty();
        }
    }

    /** Both readings in one neutral form: what each rule selects, its level and stages, and managed fields. */
    private static List<String> describe(ServerPolicy p) {
        List<String> out = new java.util.ArrayList<>();
        out.add("policy omitStages=" + stages(p.omitStages().stream().map(s -> s.wire)) + " omitManagedFields=" + p.omitManagedFields());
        for (ServerPolicy.Rule r : p.rules()) {
            out.add(r.level().wire + " users=" + r.users() + " groups=" + r.userGroups() + " verbs=" + r.verbs() + " namespaces="
                    + r.namespaces() + " urls=" + r.nonResourceURLs() + " resources=" + r.resources().stream()
                    .map(g -> g.group() + ":" + g.resources() + ":" + g.resourceNames()).toList()
                    + " omitStages=" + stages(r.omitStages().stream().map(s -> s.wire)) + " omitManagedFields=" + r.omitManagedFields());
        }
        return out;
    }

    private static List<String> describe(AuditPolicy p) {
        List<String> out = new java.util.ArrayList<>();
        out.add("policy omitStages=" + stages(p.omitStages().stream().map(AuditStage::wireName)) + " omitManagedFields="
                + p.omitManagedFields().map(ManagedFieldsOption::omit).orElse(false));
        for (PolicyRule r : p.rules()) {
            out.add(r.level().wireName() + " users=" + r.users() + " groups=" + r.userGroups() + " verbs=" + r.verbs() + " namespaces="
                    + r.namespaces() + " urls=" + r.nonResourceURLs() + " resources=" + r.resources().stream()
                    .map((GroupResources g) -> g.group() + ":" + g.resources() + ":" + g.resourceNames()).toList()
                    + " omitStages=" + stages(r.omitStages().stream().map(AuditStage::wireName)) + " omitManagedFields="
                    + r.omitManagedFields().map(ManagedFieldsOption::omit));
        }
        return out;
    }

    private static Set<String> stages(Stream<String> names) {
        return names.collect(Collectors.toCollection(TreeSet::new));
    }
}
