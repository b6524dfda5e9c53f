package io.kubeaudit.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.apply.ManifestBackup;
import io.kubeaudit.apply.NodeSetup;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.apply.observe.FileTail;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.process.ProcessResult;
import io.kubeaudit.process.ProcessRunner;
import io.kubeaudit.sim.KubeletSettings;
import io.kubeaudit.sim.SimulatedNode;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code kube-audit-agent demo}: a simulated control-plane node in a sandbox, and the real setup run
 * against it, step by step: setup, audit events flowing, a second run that changes nothing, and (unless
 * quick) a policy the server refuses, rolled back. Every check a person would make by eye is also made
 * here, so the demo fails loudly when something does not behave as shown.
 */
public final class Demo {

    /** Long enough for a loaded machine; a crash loop or a healthy server ends the wait much sooner. */
    private static final Duration DEMO_HEALTH_TIMEOUT = Duration.ofSeconds(60);
    private static final int EVENTS_SHOWN = 3;
    /** An old policy as configuration management might still ship it: current servers only know audit.k8s.io/v1. */
    private static final String OLD_POLICY = "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n";

    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();

    public Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * @param root   an empty (or absent) directory for the node
     * @param config settings to use; its root is replaced by {@code root}
     * @param quick  skip the rollback part
     * @return what did not behave as the demo expects; empty when all went as shown
     */
    public List<String> run(Path root, AgentConfig config, boolean quick) throws IOException, InterruptedException {
        AgentConfig demo = forNode(config, root);
        say("building a simulated control-plane node in " + root);
        try (SimulatedNode node = SimulatedNode.create(root, KubeletSettings.fast().withClasspath(absoluteClasspath()))) {
            node.start();
            say("  a kubelet emulator watches " + node.paths().resolve("/etc/kubernetes/manifests")
                    + "; it runs a stand-in kube-apiserver " + "(v1.29, HTTPS on " + node.apiServerUrl() + ")");
            kubectl(node);
            setup(node, demo);
            events(node, demo);
            secondRun(node, demo);
            if (!quick) {
                rollback(node, demo);
            }
            whereEverythingIs(node, demo);
        } catch (TimeoutException e) {
            problems.add("the simulated node did not start: " + e.getMessage());
        }
        say("stopped the simulated node's processes; its files stay in " + root + " (rm -rf " + root + " when done)");
        return List.copyOf(problems);
    }

    /**
     * The simulated servers run in their container's directory, so a relative class path (as
     * {@code java -jar agent/target/kube-audit-agent.jar} gives) must be made absolute for them.
     */
    private static String absoluteClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static AgentConfig forNode(AgentConfig config, Path root) {
        Duration configured = config.apply().healthTimeout();
        Duration timeout = configured.compareTo(DEMO_HEALTH_TIMEOUT) < 0 ? configured : DEMO_HEALTH_TIMEOUT;
        return config.withRoot(root.toString()).withApply(config.apply().withHealthTimeout(timeout));
    }

    private void kubectl(SimulatedNode node) throws IOException, InterruptedException {
        List<String> command = List.of("kubectl", "--kubeconfig", node.adminKubeconfig().toString(), "get", "nodes");
        say("$ " + String.join(" ", command));
        ProcessResult r = ProcessRunner.system().run(command, Duration.ofSeconds(20));
        r.output().lines().forEach(l -> say("  " + l));
        expect(r.succeeded(), "kubectl get nodes against the simulated node failed: " + r.summary());
    }

    private void setup(SimulatedNode node, AgentConfig config) throws InterruptedException {
        say("");
        say("1. kube-audit-agent setup --root " + node.root() + "   (policy " + config.audit().policy() + ")");
        SetupOutcome outcome = NodeSetup.forConfig(config, out).setup(false);
        report(outcome);
        expect(outcome instanceof SetupOutcome.Applied, "setup did not apply: " + outcome);
    }

    private void events(SimulatedNode node, AgentConfig config) throws IOException, InterruptedException {
        Path log = node.paths().resolve(config.audit().logPath());
        say("");
        say("2. audit events flowing into " + log);
        kubectl(node);
        List<String> lines = Files.exists(log) ? FileTail.lines(log, 256 * 1024) : List.of();
        List<String> shown = lines.subList(Math.max(0, lines.size() - EVENTS_SHOWN), lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : shown) {
            JsonNode e = json.readTree(line);
            say(String.format("  %s %-6s %-22s %-24s %s", e.path("stageTimestamp").asText(), e.path("verb").asText(),
                    e.path("requestURI").asText(), e.path("user").path("username").asText(),
                    e.path("responseStatus").path("code").asText()));
        }
        expect(!shown.isEmpty(), "no audit event in " + log);
    }

    private void secondRun(SimulatedNode node, AgentConfig config) throws IOException, InterruptedException {
        say("");
        say("3. setup again: nothing to change, so nothing is written and kube-apiserver is not restarted");
        byte[] before = Files.readAllBytes(node.manifest());
        Optional<String> uid = node.kubelet().podUid();
        int restarts = node.kubelet().restartCount();
        SetupOutcome outcome = NodeSetup.forConfig(config, out).setup(false);
        report(outcome);
        boolean identical = Arrays.equals(before, Files.readAllBytes(node.manifest()));
        boolean sameServer = uid.equals(node.kubelet().podUid()) && restarts == node.kubelet().restartCount();
        say("  manifest byte-identical: " + identical + "; same kube-apiserver (pod " + uid.orElse("?") + ", restarts "
                + restarts + "): " + sameServer);
        expect(outcome instanceof SetupOutcome.Unchanged && identical && sameServer, "the second setup was not a no-op: " + outcome);
    }

    private void rollback(SimulatedNode node, AgentConfig config) throws IOException, InterruptedException {
        say("");
        say("4. a policy the server refuses, rolled back. The agent validates policies strictly, so a bad one never gets past");
        say("   preflight; to show a failed start anyway, the demo switches to policy \"minimal\" and, right after setup");
        say("   installs it, overwrites the file with an old audit.k8s.io/v1beta1 policy (as a configuration-management run");
        say("   fighting over the file would). kube-apiserver v1.29 refuses it at start; setup must notice and roll back.");
        byte[] before = Files.readAllBytes(node.manifest());
        AgentConfig minimal = config.withAudit(config.audit().withPolicy("minimal"));
        NodeSetup setup = NodeSetup.forConfig(minimal, out)
                .withFiles(files -> new OverwrittenPolicyFiles(files, OLD_POLICY.getBytes(StandardCharsets.UTF_8)));
        SetupOutcome outcome = setup.setup(false);
        say("  the result setup reports (exit code 1):");
        if (outcome instanceof SetupOutcome.RolledBack r) {
            r.message().lines().forEach(l -> say("  | " + l));
            boolean healthy = r.healthAfter().map(SetupOutcome.RollbackHealth::healthy).orElse(false);
            boolean restored = Arrays.equals(before, Files.readAllBytes(node.manifest()));
            say("  manifest restored byte for byte: " + restored + "; server healthy again: " + healthy);
            expect(healthy && restored, "the rollback did not restore a healthy server");
        } else {
            report(outcome);
            problems.add("the refused policy was not rolled back: " + outcome);
        }
    }

    private void whereEverythingIs(SimulatedNode node, AgentConfig config) {
        NodePaths p = node.paths();
        say("");
        say("where everything is (node paths under " + node.root() + "):");
        say("  manifest      " + node.manifest());
        say("  policy        " + p.resolve(config.audit().policyPath()));
        say("  audit log     " + p.resolve(config.audit().logPath()));
        say("  backups       " + p.resolve(config.apply().backupDir()) + "/" + ManifestBackup.PRIVATE_PREFIX + "*  and  "
                + p.resolve(config.ship().stateDir()).resolve("backups"));
        say("  server logs   " + p.resolve("/var/log/pods") + "   kubelet log " + node.kubelet().journal());
        say("  try: kubectl --kubeconfig " + node.adminKubeconfig() + " get nodes   (while the demo runs)");
    }

    private void report(SetupOutcome outcome) {
        if (outcome instanceof SetupOutcome.Applied a) {
            a.actions().forEach(l -> say("  " + l));
        } else if (outcome instanceof SetupOutcome.Unchanged u) {
            say("  changed: false (" + u.summary() + ")");
        } else if (outcome instanceof SetupOutcome.Refused r) {
            r.problems().forEach(l -> say("  refused: " + l));
        } else if (outcome instanceof SetupOutcome.Failed f) {
            say("  failed: " + f.problem());
        } else if (outcome instanceof SetupOutcome.RolledBack r) {
            r.message().lines().forEach(l -> say("  " + l));
        } else if (outcome instanceof SetupOutcome.Planned p) {
            say("  planned: " + p.changes());
        }
    }

    private void expect(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
            say("UNEXPECTED: " + problem);
        }
    }

    private void say(String line) {
        out.println(line.isEmpty() ? "" : "[demo] " + line);
        out.flush();
    }
}
