package io.kubeaudit.check;

import io.kubeaudit.apply.observe.RunningApiServers;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.policy.AuditPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit items of the CIS Kubernetes Benchmark v1.9.0 (kube-bench's cis-1.9 numbering), checked on the running
 * kube-apiserver's command line, the manifest and the policy it names, plus the agent's own items in the style of
 * section 1.1 for the policy file and the log folder. A flag is judged by the running server; where the manifest
 * says otherwise (edited, not yet picked up by kubelet) the item says so and cannot pass.
 */
public final class AuditBenchmark {

    public static final String VERSION = "CIS Kubernetes Benchmark v1.9.0";
    /** Whom the policy items imagine sending the requests: a person, not a system component a rule may exempt. */
    private static final String USER = "jane@example.com";
    private static final List<String> GROUPS = List.of("system:authenticated");

    private AuditBenchmark() {
    }

    public static List<CheckItem> check(AgentConfig config, List<RunningApiServers.RunningApiServer> running) throws IOException {
        return check(NodeFacts.gather(config, running));
    }

    static List<CheckItem> check(NodeFacts facts) {
        List<CheckItem> items = new ArrayList<>();
        items.add(file("1.1.1", "Ensure that the API server pod specification file permissions are set to 600 or more restrictive",
                facts.manifestPath(), facts.manifestFile(), "rw-------", "600", true));
        items.add(owner("1.1.2", "Ensure that the API server pod specification file ownership is set to root:root",
                facts.manifestPath(), facts.manifestFile(), true));
        items.add(flag(facts, "1.2.16", "Ensure that the --audit-log-path argument is set", "--audit-log-path", 0,
                "/var/log/kubernetes/audit/audit.log"));
        items.add(flag(facts, "1.2.17", "Ensure that the --audit-log-maxage argument is set to 30 or as appropriate",
                "--audit-log-maxage", 30, "30"));
        items.add(flag(facts, "1.2.18", "Ensure that the --audit-log-maxbackup argument is set to 10 or as appropriate",
                "--audit-log-maxbackup", 10, "10"));
        items.add(flag(facts, "1.2.19", "Ensure that the --audit-log-maxsize argument is set to 100 or as appropriate",
                "--audit-log-maxsize", 100, "100"));
        items.add(minimalPolicy(facts));
        items.add(PolicyCoverage.check(facts.policy(), facts.policyProblem(), USER, GROUPS));
        String policyPath = facts.effectiveFlags().getOrDefault("--audit-policy-file", "the audit policy");
        items.add(file("policy-file.permissions", "Ensure that the audit policy file permissions are set to 600 or more restrictive",
                policyPath, facts.policyFile(), "rw-------", "600", facts.policyFile().isPresent()));
        items.add(owner("policy-file.ownership", "Ensure that the audit policy file ownership is set to root:root", policyPath,
                facts.policyFile(), facts.policyFile().isPresent()));
        String logDir = facts.logDirectory().map(FileFacts::shownAs).orElse("the audit log folder");
        // Nobody but root may write there (delete or replace a log); the files themselves are 0600 (the server's logger).
        items.add(file("log-dir.permissions", "Ensure that the audit log folder permissions are set to 755 or more restrictive",
                logDir, facts.logDirectory(), "rwxr-xr-x", "755", facts.logDirectory().isPresent()));
        items.add(owner("log-dir.ownership", "Ensure that the audit log folder ownership is set to root:root", logDir,
                facts.logDirectory(), facts.logDirectory().isPresent()));
        return items;
    }

    /** {@code min} 0: the flag only has to be set (to something other than "" ). */
    private static CheckItem flag(NodeFacts facts, String id, String title, String flag, int min, String example) {
        String fix = "set " + flag + "=" + example + " in " + facts.manifestPath() + " (kube-audit-agent setup does, with"
                + " audit.logPath and audit.maxAge/maxBackups/maxSize)";
        Optional<String> manifest = facts.manifestFlags().map(f -> f.get(flag));
        if (facts.running().isEmpty()) {
            String where = "no kube-apiserver is running; the manifest ";
            if (facts.manifestFlags().isEmpty()) {
                return new CheckItem(id, title, CheckItem.Status.FAIL, where + "cannot be read: " + facts.manifestProblem(), fix);
            }
            return judged(id, title, flag, manifest, min, where + "has ", fix, CheckItem.Status.WARN);
        }
        RunningApiServers.RunningApiServer server = facts.running().get(0);
        CheckItem item = judged(id, title, flag, Optional.ofNullable(server.flags().get(flag)), min,
                "the running kube-apiserver (pid " + server.pid() + ") has ", fix, null);
        if (facts.manifestFlags().isPresent() && !manifest.equals(Optional.ofNullable(server.flags().get(flag)))) {
            String pending = "; the manifest has " + manifest.map(v -> flag + "=" + v).orElse("no " + flag)
                    + ": changed but not yet picked up (kubelet restarts the server when it sees the change)";
            CheckItem.Status status = item.status() == CheckItem.Status.PASS ? CheckItem.Status.WARN : item.status();
            return new CheckItem(id, title, status, item.evidence() + pending, item.fix().isEmpty()
                    ? "wait for kubelet to restart kube-apiserver, or fix the manifest before it does" : item.fix());
        }
        return item;
    }

    /** {@code cap}: the best the item can be (WARN when judged from the manifest alone); null for none. */
    private static CheckItem judged(String id, String title, String flag, Optional<String> value, int min, String where, String fix,
                                    CheckItem.Status cap) {
        if (value.isEmpty() || value.get().isEmpty()) {
            return new CheckItem(id, title, CheckItem.Status.FAIL, where + "no " + flag, fix);
        }
        String evidence = where + flag + "=" + value.get();
        boolean pass = true;
        if (min > 0) {
            try {
                pass = Integer.parseInt(value.get().strip()) >= min;
            } catch (NumberFormatException e) {
                return new CheckItem(id, title, CheckItem.Status.FAIL, evidence + ": not a whole number", fix);
            }
        }
        if (!pass) {
            return new CheckItem(id, title, CheckItem.Status.FAIL, evidence + ", less than " + min, fix);
        }
        return new CheckItem(id, title, cap == null ? CheckItem.Status.PASS : cap, evidence, cap == null ? "" : "start kube-apiserver");
    }

    private static CheckItem minimalPolicy(NodeFacts facts) {
        String title = "Ensure that a minimal audit policy is created";
        Map<String, String> flags = facts.effectiveFlags();
        String fix = "kube-audit-agent setup installs a policy (audit.policy: cis, recommended, ...) and sets --audit-policy-file";
        String source = facts.running().isEmpty() ? "the manifest (no kube-apiserver is running)" : "the running kube-apiserver";
        String path = flags.get("--audit-policy-file");
        if (path == null || path.isEmpty()) {
            return new CheckItem("3.2.1", title, CheckItem.Status.FAIL, source + " has no --audit-policy-file: auditing is off", fix);
        }
        if (facts.policy().isEmpty()) {
            return new CheckItem("3.2.1", title, CheckItem.Status.FAIL, source + " has --audit-policy-file=" + path + "; "
                    + facts.policyProblem(), fix);
        }
        AuditPolicy policy = facts.policy().get();
        return new CheckItem("3.2.1", title, facts.running().isEmpty() ? CheckItem.Status.WARN : CheckItem.Status.PASS, source
                + " has --audit-policy-file=" + path + ", a valid policy of " + policy.rules().size() + " rules",
                facts.running().isEmpty() ? "start kube-apiserver" : "");
    }

    private static CheckItem file(String id, String title, String shown, Optional<FileFacts> file, String most, String octal,
                                  boolean applies) {
        if (!applies || file.isEmpty()) {
            return new CheckItem(id, title, CheckItem.Status.FAIL, shown + " does not exist", "");
        }
        FileFacts f = file.get();
        return f.atMost(most) ? new CheckItem(id, title, CheckItem.Status.PASS, shown + " has mode " + f.mode(), "")
                : new CheckItem(id, title, CheckItem.Status.FAIL, shown + " has mode " + f.mode(), "chmod " + octal + " " + shown);
    }

    private static CheckItem owner(String id, String title, String shown, Optional<FileFacts> file, boolean applies) {
        if (!applies || file.isEmpty()) {
            return new CheckItem(id, title, CheckItem.Status.FAIL, shown + " does not exist", "");
        }
        FileFacts f = file.get();
        return f.ownership().equals("root:root") ? new CheckItem(id, title, CheckItem.Status.PASS, shown + " is owned by root:root", "")
                : new CheckItem(id, title, CheckItem.Status.FAIL, shown + " is owned by " + f.ownership(), "chown root:root " + shown);
    }
}
