package io.kubeaudit.config;

import io.kubeaudit.node.NodePaths;
import java.util.Objects;

/** The whole configuration; every part has defaults, so no file is needed to start. */
public record AgentConfig(String root, AuditConfig audit, ApplyConfig apply, ShipConfig ship, MetricsConfig metrics) {

    public static final String DEFAULT_PATH = "/etc/kube-audit-agent/config.yaml";

    public AgentConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(apply, "apply");
        Objects.requireNonNull(ship, "ship");
        Objects.requireNonNull(metrics, "metrics");
    }

    public static AgentConfig defaults() {
        return new AgentConfig("/", AuditConfig.defaults(), ApplyConfig.defaults(), ShipConfig.defaults(), MetricsConfig.defaults());
    }

    public NodePaths paths() {
        return NodePaths.of(root);
    }

    public AgentConfig withRoot(String newRoot) {
        return new AgentConfig(newRoot, audit, apply, ship, metrics);
    }

    public AgentConfig withAudit(AuditConfig newAudit) {
        return new AgentConfig(root, newAudit, apply, ship, metrics);
    }

    public AgentConfig withApply(ApplyConfig newApply) {
        return new AgentConfig(root, audit, newApply, ship, metrics);
    }
}
