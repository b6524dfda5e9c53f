package io.kubeaudit.config;

/**
 * What the API server is told to do: which policy, where the log goes and how it rotates.
 *
 * @param policy     a shipped policy name ({@code policy list}) or a path to a policy file
 * @param policyPath where the policy is installed on the node (mounted read-only into the pod)
 * @param logPath    the audit log inside the pod and on the node (same path: its directory is mounted)
 * @param maxAge     days to keep rotated files (0: no age limit)
 * @param maxBackup  rotated files to keep (the server's 0 means all; we never write 0)
 * @param maxSize    megabytes before rotation
 * @param compress   gzip rotated files
 */
public record AuditConfig(String policy, String policyPath, String logPath, int maxAge, int maxBackup, int maxSize,
                          boolean compress) {

    public static AuditConfig defaults() {
        return new AuditConfig("recommended", "/etc/kubernetes/audit-policy.yaml",
                "/var/log/kubernetes/audit/audit.log", 30, 10, 100, false);
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
