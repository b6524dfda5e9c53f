package io.kubeaudit.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What the daemon does about the node's audit setup. Settings: {@link #SETTINGS}.
 *
 * @param backoffInitial wait after the first failed apply; doubles after each further failure
 * @param backoffMax     the longest wait between failed applies
 */
public record SetupConfig(boolean enabled, Duration reconcileInterval, DriftAction onDrift, Duration backoffInitial,
                          Duration backoffMax, Lease lease, boolean crossCheck, KubeadmConfig kubeadmConfig) {

    /** {@code setup.backoff}: only a pair in the file; the record keeps its two durations. */
    private record Backoff(Duration initial, Duration max) {
        static final Setting<Duration> INITIAL = Setting.of("initial", Types.DURATION, Duration.ofSeconds(30),
                "the wait after the first failed apply; doubles after each further failure");
        static final Setting<Duration> MAX = Setting.of("max", Types.DURATION, Duration.ofMinutes(30),
                "the longest wait between failed applies");
        static final Section<Backoff> SETTINGS = Section.of("setup.backoff",
                        "How long the daemon waits before it tries a failed apply again (it never loops hot).",
                        v -> new Backoff(v.get(INITIAL), v.get(MAX)), INITIAL, MAX)
                .rule(v -> !v.get(INITIAL).isZero() && v.get(MAX).compareTo(v.get(INITIAL)) >= 0, "0 < initial <= max",
                        (path, v) -> path + " needs 0 < initial <= max, found initial " + Units.formatDuration(v.get(INITIAL))
                                + " and max " + Units.formatDuration(v.get(MAX)));
    }

    static final Setting<Boolean> ENABLED = Setting.of("enabled", Types.BOOLEAN, true,
            "false on nodes where only shipping is wanted (the audit setup is managed elsewhere)");
    static final Setting<Duration> RECONCILE_INTERVAL = Setting.of("reconcileInterval", Types.DURATION, Duration.ofSeconds(60),
                    "how often the manifest and policy are compared with the config (also as soon as either file changes)")
            .check(d -> d.compareTo(Duration.ofSeconds(1)) >= 0, "must be at least 1s");
    static final Setting<DriftAction> ON_DRIFT = Setting.of("onDrift", Types.lowerCaseEnum(DriftAction.class), DriftAction.REAPPLY,
            "what to do when something changed the audit settings (a kubeadm upgrade, a hand edit): reapply them through"
                    + " the safe transaction, or only report it");
    private static final Setting<Backoff> BACKOFF = Setting.section("backoff", Backoff.SETTINGS);
    static final Setting<Lease> LEASE = Setting.section("lease", Lease.SETTINGS);
    static final Setting<Boolean> CROSS_CHECK = Setting.of("crossCheck", Types.BOOLEAN, true,
            "compare the local API server's audit counters (apiserver_audit_event_total, _error_total from its /metrics,"
                    + " through kubectl with lease.kubeconfig) with the lines read from the audit log, every minute, and"
                    + " report a mismatch");
    static final Setting<KubeadmConfig> KUBEADM_CONFIG = Setting.of("kubeadmConfig",
            Types.choice(KubeadmConfig::text, Types.Matching.EXACT, KubeadmConfig.WRITE_THROUGH, KubeadmConfig.OFF), KubeadmConfig.OFF,
            "writeThrough: after a healthy setup, also write the audit flags and volumes to kubeadm's ClusterConfiguration"
                    + " (ConfigMap kube-system/kubeadm-config, through kubectl with lease.kubeconfig), so that the next"
                    + " `kubeadm upgrade` renders them itself");

    public static final Section<SetupConfig> SETTINGS = Section.of("setup",
            "What the daemon (`run`) does about the node's audit setup.",
            v -> new SetupConfig(v.get(ENABLED), v.get(RECONCILE_INTERVAL), v.get(ON_DRIFT), v.get(BACKOFF).initial(),
                    v.get(BACKOFF).max(), v.get(LEASE), v.get(CROSS_CHECK), v.get(KUBEADM_CONFIG)),
            ENABLED, RECONCILE_INTERVAL, ON_DRIFT, BACKOFF, LEASE, CROSS_CHECK, KUBEADM_CONFIG);

    public SetupConfig {
        Objects.requireNonNull(onDrift, "onDrift");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(kubeadmConfig, "kubeadmConfig");
    }

    public static SetupConfig defaults() {
        return SETTINGS.defaults();
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
     * config pushed to every control-plane node at once restarts them one after the other. Settings: {@link #SETTINGS}.
     */
    public record Lease(boolean enabled, Duration duration, String kubeconfig) {

        static final Setting<Boolean> ENABLED = Setting.of("enabled", Types.BOOLEAN, true,
                "false on a single node without a reachable API for kubectl, or when a rollout tool already serialises the nodes");
        public static final Setting<Duration> DURATION = Setting.of("duration", Types.DURATION, Duration.ofMinutes(10),
                        "how long a holder keeps it without giving it back (a node that dies holding it blocks the others"
                                + " this long); longer than a setup with rollback takes")
                .check(d -> d.compareTo(Duration.ofSeconds(1)) >= 0, "must be at least 1s");
        static final Setting<String> KUBECONFIG = Setting.of("kubeconfig", Types.ABSOLUTE_PATH, "/etc/kubernetes/admin.conf",
                "node path of the kubeconfig kubectl uses (through the cluster endpoint)");

        public static final Section<Lease> SETTINGS = Section.of("setup.lease",
                "The cluster-wide Lease kube-system/kube-audit-agent-setup, held while this node's API server restarts, so a"
                        + " config pushed to every control-plane node at once restarts them one after the other.",
                v -> new Lease(v.get(ENABLED), v.get(DURATION), v.get(KUBECONFIG)), ENABLED, DURATION, KUBECONFIG);

        public Lease {
            Objects.requireNonNull(kubeconfig, "kubeconfig");
        }

        public static Lease defaults() {
            return SETTINGS.defaults();
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
