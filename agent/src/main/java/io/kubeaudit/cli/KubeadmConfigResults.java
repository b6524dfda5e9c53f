package io.kubeaudit.cli;

import io.kubeaudit.kubeadm.WriteThroughOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kubeadm-config write-through of {@code setup} and {@code teardown} (when setup.kubeadmConfig is
 * writeThrough; {@link io.kubeaudit.setup.SetupRun} runs it only after the node's own change ended well),
 * shown in the same result. A problem is a warning, never a failure: the node's healthy change stands.
 */
final class KubeadmConfigResults {

    private static final String LABEL = "kubeadm-config: ";

    private KubeadmConfigResults() {
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
