package io.kubeaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.apply.observe.RunningApiServers;
import io.kubeaudit.config.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit items on a sandbox node: a real kubeadm manifest from the corpus with full auditing, the bundled cis
 * policy at the path it names, and running servers given as the process table would show them.
 */
class AuditBenchmarkTest {

    private static final Map<String, String> FULL = Map.of("--audit-log-maxage", "30", "--audit-log-maxbackup", "10",
            "--audit-log-maxsize", "100", "--audit-policy-file", "/etc/kubernetes/audit-policy.yaml",
            "--audit-log-path", "/var/log/kubernetes/audit/audit.log");

    @TempDir
    Path root;

    private AgentConfig config;

    @BeforeEach
    void node() throws Exception {
        Path manifest = Files.createDirectories(root.resolve("etc/kubernetes/manifests")).resolve("kube-apiserver.yaml");
        Files.copy(Path.of(getClass().getResource("/corpus/manifests/kubeadm-v1.32-austintalbot-cks-at-full-audit.yaml").toURI()),
                manifest);
        Files.setPosixFilePermissions(manifest, PosixFilePermissions.fromString("rw-------"));
        Path policy = root.resolve("etc/kubernetes/audit-policy.yaml");
        try (var in = getClass().getClassLoader().getResourceAsStream("policies/cis.yaml")) {
            Files.write(policy, in.readAllBytes());
        }
        Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rw-------"));
        Path logs = Files.createDirectories(root.resolve("var/log/kubernetes/audit"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwx------"));
        config = AgentConfig.defaults().withRoot(root.toString());
    }

    private static RunningApiServers.RunningApiServer server(Map<String, String> flags) {
        return new RunningApiServers.RunningApiServer(4242, 0, flags);
    }

    private Map<String, CheckItem> items(List<RunningApiServers.RunningApiServer> running) throws Exception {
        return AuditBenchmark.check(config, running).stream().collect(Collectors.toMap(CheckItem::id, i -> i));
    }

    private static boolean ownedByRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void aCompleteSetupPassesEveryItemOnTheRunningServer() throws Exception {
        Map<String, CheckItem> items = items(List.of(server(FULL)));
        assertEquals(List.of("1.1.1", "1.1.2", "1.2.16", "1.2.17", "1.2.18", "1.2.19", "3.2.1", "3.2.2", "policy-file.permissions",
                "policy-file.ownership", "log-dir.permissions", "log-dir.ownership"),
                AuditBenchmark.check(config, List.of(server(FULL))).stream().map(CheckItem::id).toList());
        for (CheckItem i : items.values()) {
            if (i.id().endsWith("ownership") || i.id().equals("1.1.2")) {
                assertEquals(ownedByRoot() ? CheckItem.Status.PASS : CheckItem.Status.FAIL, i.status(), i.toString());
            } else {
                assertEquals(CheckItem.Status.PASS, i.status(), i.toString());
            }
        }
        assertEquals("the running kube-apiserver (pid 4242) has --audit-log-maxage=30", items.get("1.2.17").evidence());
        assertTrue(items.get("3.2.2").evidence().startsWith("all 17 kinds of request are logged"), items.get("3.2.2").evidence());
    }

    @Test
    void auditingOffFailsTheFlagAndPolicyItems() throws Exception {
        Map<String, CheckItem> items = items(List.of(server(Map.of())));
        for (String id : List.of("1.2.16", "1.2.17", "1.2.18", "1.2.19", "3.2.1", "3.2.2")) {
            assertEquals(CheckItem.Status.FAIL, items.get(id).status(), items.get(id).toString());
        }
        assertTrue(items.get("1.2.18").evidence().contains("no --audit-log-maxbackup"), items.get("1.2.18").evidence());
        assertTrue(items.get("1.2.18").evidence().contains("the manifest has --audit-log-maxbackup=10: changed but not yet picked up"),
                items.get("1.2.18").evidence());
    }

    @Test
    void aServerOlderThanTheManifestCannotPassWhereTheyDiffer() throws Exception {
        Map<String, String> older = new java.util.HashMap<>(FULL);
        older.put("--audit-log-maxage", "7");
        CheckItem failing = items(List.of(server(older))).get("1.2.17");
        assertEquals(CheckItem.Status.FAIL, failing.status());
        assertTrue(failing.evidence().contains("--audit-log-maxage=7, less than 30; the manifest has --audit-log-maxage=30"),
                failing.evidence());

        Files.writeString(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml"), Files.readString(
                root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml")).replace("--audit-log-maxage=30", "--audit-log-maxage=3"));
        CheckItem pending = items(List.of(server(FULL))).get("1.2.17");
        assertEquals(CheckItem.Status.WARN, pending.status(), "passes now, fails once kubelet restarts the server");
    }

    @Test
    void withoutARunningServerTheManifestIsJudgedButNothingPasses() throws Exception {
        Map<String, CheckItem> items = items(List.of());
        assertEquals(CheckItem.Status.WARN, items.get("1.2.17").status());
        assertEquals("no kube-apiserver is running; the manifest has --audit-log-maxage=30", items.get("1.2.17").evidence());
        assertEquals(CheckItem.Status.WARN, items.get("3.2.1").status());
    }

    @Test
    void looseModesAndAPolicyThatLogsSecretBodiesFail() throws Exception {
        Files.setPosixFilePermissions(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(root.resolve("etc/kubernetes/audit-policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
                + "- level: None\n  resources:\n  - group: \"\"\n    resources: [\"pods/exec\"]\n- level: RequestResponse\n");
        Map<String, CheckItem> items = items(List.of(server(FULL)));
        assertEquals(new CheckItem("1.1.1", items.get("1.1.1").title(), CheckItem.Status.FAIL, "/etc/kubernetes/manifests/kube-apiserver.yaml"
                + " has mode 644", "chmod 600 /etc/kubernetes/manifests/kube-apiserver.yaml"), items.get("1.1.1"));
        CheckItem coverage = items.get("3.2.2");
        assertEquals(CheckItem.Status.FAIL, coverage.status());
        assertTrue(coverage.evidence().startsWith("not logged: pods/exec (rules[0] (line 4): None); logged with bodies that hold"
                + " credentials: reading a Secret (rules[1] (line 8): RequestResponse)"), coverage.evidence());
    }
}
