package io.kubeaudit.config;

import io.kubeaudit.node.NodePaths;
import java.util.Objects;

/** The whole configuration; every part has defaults, so no file is needed to start. Settings: {@link #SETTINGS}. */
public record AgentConfig(String root, AuditConfig audit, ApplyConfig apply, ShipConfig ship, MetricsConfig metrics,
                          SetupConfig setup) {

    public static final String DEFAULT_PATH = "/etc/kube-audit-agent/config.yaml";

    static final Setting<String> ROOT = Setting.of("root", Types.ABSOLUTE_PATH, "/",
            "prefix for every node path (the tests and the demo use a sandbox); --root overrides it");
    public static final Setting<AuditConfig> AUDIT = Setting.section("audit", AuditConfig.SETTINGS);
    public static final Setting<ApplyConfig> APPLY = Setting.section("apply", ApplyConfig.SETTINGS);
    public static final Setting<SetupConfig> SETUP = Setting.section("setup", SetupConfig.SETTINGS);
    public static final Setting<ShipConfig> SHIP = Setting.section("ship", ShipConfig.SETTINGS);
    public static final Setting<MetricsConfig> METRICS = Setting.section("metrics", MetricsConfig.SETTINGS);

    /** The whole table: every setting of config.yaml. */
    public static final Section<AgentConfig> SETTINGS = Section.of("", "The config file's top level.",
            v -> new AgentConfig(v.get(ROOT), v.get(AUDIT), v.get(APPLY), v.get(SHIP), v.get(METRICS), v.get(SETUP)),
            ROOT, AUDIT, APPLY, SETUP, SHIP, METRICS);

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
        return SETTINGS.defaults();
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
