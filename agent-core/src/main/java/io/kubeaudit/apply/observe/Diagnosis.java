package io.kubeaudit.apply.observe;

import java.util.List;

/**
 * What the node says about a failed start, for the operator.
 *
 * @param source where the lines come from (a container log, {@code journalctl -u kubelet}, ...)
 * @param lines  the lines that explain it: errors first found, then the last lines
 */
public record Diagnosis(String source, List<String> lines) {

    public Diagnosis {
        lines = List.copyOf(lines);
    }

    /** Whether the lines are the kubelet's own (its journal or log file). */
    public boolean fromKubelet() {
        return source.startsWith("kubelet log") || source.startsWith("journalctl -u kubelet");
    }
}
