package io.kubeaudit.config;

import java.time.Duration;
import java.util.List;

/** How {@code setup} changes the node. Settings: {@link #SETTINGS}. */
public record ApplyConfig(String manifest, String backupDir, Duration healthTimeout, List<String> healthCommand,
                          String healthUrl, long minFreeBytes) {

    static final Setting<String> MANIFEST = Setting.of("manifest", Types.ABSOLUTE_PATH, "/etc/kubernetes/manifests/kube-apiserver.yaml",
            "the kube-apiserver static pod manifest");
    static final Setting<String> BACKUP_DIR = Setting.of("backupDir", Types.ABSOLUTE_PATH, "/tmp",
            "where the private backup directory is created (a second copy goes to ship.stateDir)");
    static final Setting<Duration> HEALTH_TIMEOUT = Setting.of("healthTimeout", Types.DURATION, Duration.ofSeconds(180),
            "how long to wait for the restarted API server to be healthy (and again after a rollback)");
    static final Setting<List<String>> HEALTH_COMMAND = Setting.of("healthCommand", Types.STRING_LIST,
                    List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "nodes"),
                    "a command that must succeed against the restarted API server")
            .check(command -> !command.isEmpty(), "must name a command");
    static final Setting<String> HEALTH_URL = Setting.of("healthUrl", Types.STRING, "",
                    "the local API server's base URL for /livez and /readyz")
            .shownAs("https://127.0.0.1:<--secure-port of the manifest>");
    static final Setting<Long> MIN_FREE_SPACE = Setting.of("minFreeSpace", Types.SIZE, 512L * 1024 * 1024,
            "free space to keep on the audit log's filesystem beyond what the rotated logs take (checked before setup)");

    public static final Section<ApplyConfig> SETTINGS = Section.of("apply",
            "How setup changes the node: the static pod manifest, backups, and the health check that decides between"
                    + " keeping the change and rolling it back.",
            v -> new ApplyConfig(v.get(MANIFEST), v.get(BACKUP_DIR), v.get(HEALTH_TIMEOUT), v.get(HEALTH_COMMAND),
                    v.get(HEALTH_URL), v.get(MIN_FREE_SPACE)),
            MANIFEST, BACKUP_DIR, HEALTH_TIMEOUT, HEALTH_COMMAND, HEALTH_URL, MIN_FREE_SPACE);

    public ApplyConfig {
        healthCommand = List.copyOf(healthCommand);
    }

    public static ApplyConfig defaults() {
        return SETTINGS.defaults();
    }

    public ApplyConfig withHealthTimeout(Duration timeout) {
        return new ApplyConfig(manifest, backupDir, timeout, healthCommand, healthUrl, minFreeBytes);
    }

    public String manifestDir() {
        int slash = manifest.lastIndexOf('/');
        return slash <= 0 ? "/" : manifest.substring(0, slash);
    }
}
