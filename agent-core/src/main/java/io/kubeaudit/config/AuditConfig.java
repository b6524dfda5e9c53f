package io.kubeaudit.config;

/** What the API server is told to do: which policy, where the log goes and how it rotates. Settings: {@link #SETTINGS}. */
public record AuditConfig(String policy, String policyPath, String logPath, int maxAge, int maxBackup, int maxSize,
                          boolean compress) {

    public static final Setting<String> POLICY = Setting.of("policy", Types.STRING, "recommended",
            "the policy to install: a bundled name (`policy list`: minimal, recommended, cis, forensic) or a policy file");
    static final Setting<String> POLICY_PATH = Setting.of("policyPath", Types.ABSOLUTE_PATH, "/etc/kubernetes/audit-policy.yaml",
            "where the policy is installed on the node (mounted read-only into the API server's pod)");
    static final Setting<String> LOG_PATH = Setting.of("logPath", Types.ABSOLUTE_PATH, "/var/log/kubernetes/audit/audit.log",
                    "the audit log, inside the pod and on the node (the same path: its directory is mounted, so rotation by rename works)")
            .check(path -> !path.endsWith("/"), "must name a file, not a directory");
    static final Setting<Integer> MAX_AGE = Setting.of("maxAge", Types.integer(0, 3650), 30,
            "days the API server keeps rotated files (0: no age limit)");
    static final Setting<Integer> MAX_BACKUP = Setting.of("maxBackup", Types.integer(1, 1000), 10,
            "rotated files the API server keeps (its 0 would mean all; the agent never writes 0)");
    static final Setting<Integer> MAX_SIZE = Setting.of("maxSize", Types.integer(1, 100_000), 100,
            "megabytes the log grows to before the API server rotates it");
    static final Setting<Boolean> COMPRESS = Setting.of("compress", Types.BOOLEAN, false, "gzip rotated files");

    public static final Section<AuditConfig> SETTINGS = Section.of("audit",
            "What the API server is told: the policy, where the audit log goes and how it rotates.",
            v -> new AuditConfig(v.get(POLICY), v.get(POLICY_PATH), v.get(LOG_PATH), v.get(MAX_AGE), v.get(MAX_BACKUP),
                    v.get(MAX_SIZE), v.get(COMPRESS)),
            POLICY, POLICY_PATH, LOG_PATH, MAX_AGE, MAX_BACKUP, MAX_SIZE, COMPRESS);

    public static AuditConfig defaults() {
        return SETTINGS.defaults();
    }

    /** The same settings with another policy (the {@code --policy} option). */
    public AuditConfig withPolicy(String newPolicy) {
        return new AuditConfig(newPolicy, policyPath, logPath, maxAge, maxBackup, maxSize, compress);
    }

    /** The directory of the log: it is what gets mounted, so rotation by rename works. */
    public String logDir() {
        int slash = logPath.lastIndexOf('/');
        return slash <= 0 ? "/" : logPath.substring(0, slash);
    }
}
