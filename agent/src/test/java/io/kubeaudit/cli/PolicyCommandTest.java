package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {

    private static final String CORPUS = "../testdata/corpus/policies/";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path root;

    private int run(String... args) {
        String[] withRoot = new String[args.length + 2];
        System.arraycopy(args, 0, withRoot, 0, args.length);
        withRoot[args.length] = "--root";
        withRoot[args.length + 1] = root.toString();
        return Main.run(withRoot, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private JsonNode json() throws Exception {
        return new ObjectMapper().readTree(stdout());
    }

    @Test
    void validateAcceptsGoodFilesAndBundledNames() {
        assertEquals(Main.OK, run("policy", "validate", CORPUS + "gce-gke-configure-helper-rendered-audit-policy.yaml", "recommended"));
        assertTrue(stdout().contains("gce-gke-configure-helper-rendered-audit-policy.yaml: valid (17 rules)"), stdout());
        assertTrue(stdout().contains("recommended: valid (19 rules)"), stdout());
    }

    @Test
    void validateFailsListingErrorsPerFileInJson() throws Exception {
        String invalid = CORPUS + "invalid/k8s-issue-51565-missing-kind-and-apiversion.yaml";
        assertEquals(Main.FAILED, run("policy", "validate", "minimal", invalid, "--output", "json"));
        JsonNode result = json();
        assertTrue(result.get("failed").asBoolean());
        JsonNode files = result.get("details").get("files");
        assertEquals(2, files.size());
        assertTrue(files.get(0).get("valid").asBoolean());
        assertEquals(64, files.get(0).get("sha256").asText().length());
        assertFalse(files.get(1).get("valid").asBoolean());
        assertEquals(2, files.get(1).get("errors").size());
        assertTrue(files.get(1).get("errors").get(0).asText().startsWith(invalid + ":2:1: apiVersion is missing"));
        assertEquals(2, result.get("errors").size());
    }

    @Test
    void serverVersionRefusesWhatThatServerCannotLoad() throws Exception {
        assertEquals(Main.FAILED, run("policy", "validate", "forensic", "--server-version", "v1.20.2"));
        assertTrue(stderr().contains("forensic.yaml:22:1: omitManagedFields is not a field of kube-apiserver v1.20.2's"
                + " audit.k8s.io/v1 Policy (it arrived in 1.23): that server drops it without a word"), stderr());
        assertEquals(Main.OK, run("policy", "validate", "forensic", "--server-version", "1.29"));
        assertEquals(Main.USAGE, run("policy", "validate", "forensic", "--server-version", "latest"));
    }

    @Test
    void lintWarnsButSucceedsUnlessStrict() throws Exception {
        String falco = CORPUS + "falco-k8saudit-plugin-audit-policy.yaml";
        assertEquals(Main.OK, run("policy", "lint", falco, "--output", "json"));
        JsonNode file = json().get("details").get("files").get(0);
        assertEquals(3, file.get("findings").size());
        JsonNode first = file.get("findings").get(0);
        assertEquals("wrong-group", first.get("code").asText());
        assertEquals(10, first.get("line").asInt());
        assertEquals(7, first.get("column").asInt());
        assertFalse(first.get("explanation").asText().isBlank());
        assertEquals(null, json().get("warnings"), "findings are the result (stdout), not diagnostics");
        assertEquals(4, json().get("actions").size(), "the file's line and its three findings");

        out.reset();
        assertEquals(Main.FAILED, run("policy", "lint", falco, "--strict"));
        assertTrue(stderr().contains("error: 3 lint warnings and --strict is set"), stderr());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("  " + falco + ":10:7: wrong-group: "), out.toString(StandardCharsets.UTF_8));
        assertFalse(stderr().contains("wrong-group"), stderr());
    }

    @Test
    void lintOfBundledPoliciesIsClean() {
        assertEquals(Main.OK, run("policy", "lint", "--strict", "minimal", "recommended", "cis", "forensic"));
        assertTrue(stdout().contains("recommended: valid, no warnings"), stdout());
    }

    @Test
    void lintOfAnInvalidNodeFileFails() throws Exception {
        Path bad = root.resolve("etc/kubernetes/bad.yaml");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n");
        assertEquals(Main.FAILED, run("policy", "lint", "/etc/kubernetes/bad.yaml"));
        assertTrue(stderr().contains("error: /etc/kubernetes/bad.yaml:4:10: rules[0].level \"Loud\" is not a level"), stderr());
    }

    @Test
    void listShowsEveryBundledPolicyWithItsDescription() throws Exception {
        assertEquals(Main.OK, run("policy", "list"));
        assertTrue(stdout().contains("minimal      who did what to which object and when"), stdout());
        out.reset();
        assertEquals(Main.OK, run("policy", "list", "--output", "json"));
        JsonNode policies = json().get("details").get("policies");
        assertEquals(4, policies.size());
        assertEquals("forensic", policies.get(3).get("name").asText());
    }

    @Test
    void showPrintsTheBundledYamlUnchanged() throws Exception {
        assertEquals(Main.OK, run("policy", "show", "cis"));
        assertEquals(Files.readString(Path.of("../policies/cis.yaml")), stdout());
        out.reset();
        assertEquals(Main.OK, run("policy", "show", "cis", "--output", "json"));
        assertEquals(Files.readString(Path.of("../policies/cis.yaml")), json().get("details").get("content").asText());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(Main.USAGE, run("policy"));
        assertTrue(stderr().contains("missing subcommand"), stderr());
        assertEquals(Main.USAGE, run("policy", "frob"));
        assertEquals(Main.USAGE, run("policy", "validate"));
        assertEquals(Main.USAGE, run("policy", "show"));
        assertEquals(Main.USAGE, run("policy", "list", "extra"));
        assertEquals(Main.USAGE, run("policy", "validate", "minimal", "--strict"));
        assertEquals(Main.USAGE, run("policy", "show", "minimal", "--server-version", "1.29"));
    }

    @Test
    void unknownPolicyNameFails() {
        assertEquals(Main.FAILED, run("policy", "show", "recomended"));
        assertTrue(stderr().contains("did you mean \"recommended\"?"), stderr());
    }

    /** The lab log (recorded at RequestResponse) as the sandbox node's configured audit log, backups included. */
    private long labOnTheNode() throws Exception {
        Path lab = Path.of(getClass().getResource("/corpus/auditlogs/real-kube-apiserver-v1.20.2-lab").toURI());
        Path logDir = Files.createDirectories(root.resolve("var/log/kubernetes/audit"));
        long lines = 0;
        try (var files = Files.list(lab)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("audit")).toList()) {
                Files.copy(p, logDir.resolve(p.getFileName()));
                try (var raw = Files.newInputStream(p);
                     var in = p.toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw) : raw) {
                    lines += new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
                }
            }
        }
        return lines;
    }

    @Test
    void simulateReadsTheConfiguredLogAndComparesTwoPolicies() throws Exception {
        long events = labOnTheNode();
        assertEquals(Main.OK, run("policy", "simulate", "recommended", "--compare", "cis", "--output", "json"), stderr());
        JsonNode details = json().get("details");
        assertEquals(events, details.get("input").get("recorded").get("events").asLong());
        assertEquals(5, details.get("input").get("files").asInt());
        for (JsonNode p : details.get("policies")) {
            long matched = p.get("noRule").get("events").asLong();
            for (JsonNode r : p.get("rules")) {
                matched += r.get("matched").get("events").asLong();
            }
            assertEquals(events, matched, p.get("name").asText() + ": every event is decided by one rule or none");
            assertEquals(events, p.get("kept").get("events").asLong() + p.get("dropped").get("events").asLong());
        }
        assertEquals(List.of("recommended", "cis"), details.get("policies").findValuesAsText("name").subList(0, 2));
        assertTrue(details.get("changes").size() > 0, "cis keeps less of writes than recommended");

        out.reset();
        assertEquals(Main.OK, run("policy", "simulate", "recommended", "--compare", "cis", "--top", "3"), stderr());
        String text = stdout();
        assertTrue(text.startsWith("Recorded: " + String.format(java.util.Locale.ROOT, "%,d", events) + " events"), text);
        assertTrue(text.contains("== recommended (recommended.yaml)") && text.contains("== cis (cis.yaml)"), text);
        assertTrue(text.contains("RULE       LINE  LEVEL"), text);
        assertTrue(text.contains("== Changes from recommended to cis (largest first)"), text);
    }

    @Test
    void simulateRefusesWhatItCannotDo() throws Exception {
        assertEquals(Main.USAGE, run("policy", "simulate"));
        assertTrue(stderr().contains("policy simulate needs a POLICY"), stderr());
        assertEquals(Main.USAGE, run("policy", "simulate", "minimal", "--top", "-1", "../testdata/corpus/auditlogs"));
        assertTrue(stderr().contains("--top must be a whole number, 0 or more, found \"-1\""), stderr());
        assertEquals(Main.USAGE, run("policy", "validate", "minimal", "--compare", "cis"));
        assertTrue(stderr().contains("--compare and --top only apply to policy simulate"), stderr());
        assertEquals(Main.FAILED, run("policy", "simulate", "minimal"));
        assertTrue(stderr().contains("no audit log and no backups of it"), stderr());
        assertEquals(Main.FAILED, run("policy", "simulate", CORPUS + "invalid/rke2-issue-410-empty-rules.yaml", "../testdata/corpus/auditlogs"));
        assertTrue(stderr().contains("rke2-issue-410-empty-rules.yaml"), stderr());
    }
}
