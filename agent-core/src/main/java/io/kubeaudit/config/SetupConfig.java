package io.kubeaudit.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What the daemon does about the node's audit setup.
 *
 * @param enabled           false on nodes where only shipping is wanted (the setup is managed elsewhere)
 * @param reconcileInterval how often the manifest and policy are compared with the config (also on file change)
 * @param onDrift           what to do when something changed the audit settings: re-apply or only report
 * @param backoffInitial    wait after the first failed apply; doubles after each further failure
 * @param backoffMax        the longest wait between failed applies
 * @param lease             the cluster-wide lock taken before the daemon restarts this node's API server
 * @param crossCheck        compare the local API server's audit counters (its /metrics, through kubectl with
 *                          lease.kubeconfig) with the lines read from the audit log, and report a mismatch
 * @param kubeadmConfig     whether the audit flags and volumes are also written to kubeadm's ClusterConfiguration
 *                          (ConfigMap kube-system/kubeadm-config, through kubectl with lease.kubeconfig) after a
 *                          healthy apply, so that the next {@code kubeadm upgrade} renders them itself
 */
public record SetupConfig(boolean enabled, Duration reconcileInterval, DriftAction onDrift, Duration backoffInitial,
                          Duration backoffMax, Lease lease, boolean crossCheck, KubeadmConfig kubeadmConfig) {

    public SetupConfig {
        Objects.requireNonNull(onDrift, "onDrift");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(kubeadmConfig, "kubeadmConfig");
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("setup.reconcileInterval must be positive");
        }
        if (backoffInitial.isNegative() || backoffInitial.isZero() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("setup.backoff needs 0 < initial <= max");
        }
    }

    public static SetupConfig defaults() {
        return new SetupConfig(true, Duration.ofSeconds(60), DriftAction.REAPPLY, Duration.ofSeconds(30), Duration.ofMinutes(30),
                Lease.defaults(), true, KubeadmConfig.OFF);
    }

    /** A config differing only in what the daemon does about drift (tests, and callers that build one). */
    public SetupConfig(boolean enabled, Duration reconcileInterval, DriftAction onDrift, Duration backoffInitial, Duration backoffMax) {
        this(enabled, reconcileInterval, onDrift, backoffInitial, backoffMax, Lease.defaults(), true, KubeadmConfig.OFF);
    }

    /** The same settings with kubeadm's ClusterConfiguration written through or not. */
    public SetupConfig withKubeadmConfig(KubeadmConfig mode) {
        return new SetupConfig(enabled, reconcileInterval, onDrift, backoffInitial, backoffMax, lease, crossCheck, mode);
    }

    /**
     * A Lease ({@code kube-system/kube-audit-agent-setup}) held while this node's API server restarts, so a
     * config pushed to every control-plane node at once restarts them one after the other.
     *
     * @param enabled    false on single-node clusters without a reachable API for kubectl, or when a
     *                   rollout tool already serialises the nodes
     * @param duration   how long a holder keeps it without releasing (a node that dies holding it blocks
     *                   the others this long); longer than a setup with rollback takes
     * @param kubeconfig node path of the kubeconfig kubectl uses (through the cluster endpoint)
     */
    public record Lease(boolean enabled, Duration duration, String kubeconfig) {
        public Lease {
            Objects.requireNonNull(kubeconfig, "kubeconfig");
            if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("setup.lease.duration must be at least 1s");
            }
        }

        public static Lease defaults() {
            return new Lease(true, Duration.ofMinutes(10), "/etc/kubernetes/admin.conf");
        }
    }

    public enum DriftAction { REAPPLY, REPORT }

    /** What the agent does with kubeadm's ClusterConfiguration: leave it alone (the default) or write the audit settings through. */
    public enum KubeadmConfig {
        OFF("off"), WRITE_THROUGH("writeThrough");

        private final String text;

        KubeadmConfig(String text) {
            this.text = text;
        }

        /** The spelling in the config file. */
        public String text() {
            return text;
        }
    }
}
