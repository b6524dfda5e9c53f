package io.kubeaudit.cli;

import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.kubeadm.KubeadmWriteThrough;
import io.kubeaudit.kubeadm.WriteThroughOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kubeadm-config write-through step of {@code setup} and {@code teardown} (when setup.kubeadmConfig is
 * writeThrough): run only after the node's own change ended well, and shown in the same result. A problem
 * is a warning, never a failure: the node's healthy change stands.
 */
final class KubeadmConfigResults {

    private static final String LABEL = "kubeadm-config: ";

    /** The write-through's part of a setup or teardown, for a node the config has set up or torn down. */
    interface Step {
        WriteThroughOutcome run(KubeadmWriteThrough writeThrough) throws InterruptedException;
    }

    private KubeadmConfigResults() {
    }

    static void add(CommandResult.Builder b, AgentConfig config, SetupOutcome node, Step step) throws InterruptedException {
        Optional<KubeadmWriteThrough> writeThrough = KubeadmWriteThrough.forConfig(config);
        if (writeThrough.isEmpty()) {
            return;
        }
        WriteThroughOutcome outcome = SetupOutcomes.succeeded(node) ? step.run(writeThrough.get())
                : new WriteThroughOutcome.NotAttempted("the node's " + node.operation().command() + " did not succeed, so kube-system/kubeadm-config"
                + " was left as it is");
        add(b, outcome);
    }

    static void add(CommandResult.Builder b, WriteThroughOutcome outcome) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("outcome", outcome.outcome());
        detail.put("problem", outcome.problem());
        detail.put("detail", outcome.detail());
        detail.put("changes", outcome.changes());
        if (outcome.diff() != null) {
            detail.put("diff", outcome.diff());
            b.addDiff(outcome.diff());
        }
        b.detail("kubeadmConfig", detail);
        if (outcome.changed()) {
            b.changed(true);
        }
        if (outcome.problem()) {
            b.warning(LABEL + outcome.outcome() + ": " + outcome.detail());
            return;
        }
        b.action(LABEL + outcome.detail());
        outcome.changes().forEach(c -> b.action("  " + c));
    }
}
