package io.kubeaudit.config;

import io.kubeaudit.node.NodePaths;
import java.util.Objects;

/** The whole configuration; every part has defaults, so no file is needed to start. */
public record AgentConfig(String root, AuditConfig audit, ApplyConfig apply, ShipConfig ship, MetricsConfig metrics,
                          SetupConfig setup) {

    public static final String DEFAULT_PATH = "/etc/kube-audit-agent/config.yaml";

    public AgentConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(apply, "apply");
        Objects.requireNonNull(ship, "ship");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(setup, "setup");
    }

    /** A config with the default setup section (most code and tests never look at it). */
    public AgentConfig(String root, AuditConfig audit, ApplyConfig apply, ShipConfig ship, MetricsConfig metrics) {
        this(root, audit, apply, ship, metrics, SetupConfig.defaults());
    }

    public static AgentConfig defaults() {
        return new AgentConfig("/", AuditConfig.defaults(), ApplyConfig.defaults(), ShipConfig.defaults(), MetricsConfig.defaults(),
                SetupConfig.defaults());
    }

    public NodePaths paths() {
        return NodePaths.of(root);
    }

    public AgentConfig withAudit(AuditConfig newAudit) {
        return new AgentConfig(root, newAudit, apply, ship, metrics, setup);
    }

    public AgentConfig withRoot(String newRoot) {
        return new AgentConfig(newRoot, audit, apply, ship, metrics, setup);
    }

    public AgentConfig withApply(ApplyConfig newApply) {
        return new AgentConfig(root, audit, newApply, ship, metrics, setup);
    }
}
