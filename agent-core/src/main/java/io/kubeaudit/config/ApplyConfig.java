package io.kubeaudit.config;

import java.time.Duration;
import java.util.List;

/**
 * How {@code setup} changes the node.
 *
 * @param manifest      the kube-apiserver static pod manifest
 * @param backupDir     where the private backup directory is created (also copied to the state dir)
 * @param healthTimeout how long to wait for the restarted server (and again after a rollback)
 * @param healthCommand the command that must succeed against the local API server
 * @param healthUrl     the local API server's base URL for /livez and /readyz; empty: read it from the manifest
 * @param minFreeBytes  free space to keep on the log filesystem beyond what the rotated logs take
 */
public record ApplyConfig(String manifest, String backupDir, Duration healthTimeout, List<String> healthCommand,
                          String healthUrl, long minFreeBytes) {

    public ApplyConfig {
        healthCommand = List.copyOf(healthCommand);
    }

    public static ApplyConfig defaults() {
        return new ApplyConfig("/etc/kubernetes/manifests/kube-apiserver.yaml", "/tmp", Duration.ofSeconds(180),
                List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "nodes"), "",
                512L * 1024 * 1024);
    }

    public ApplyConfig withHealthTimeout(Duration timeout) {
        return new ApplyConfig(manifest, backupDir, timeout, healthCommand, healthUrl, minFreeBytes);
    }

    public String manifestDir() {
        int slash = manifest.lastIndexOf('/');
        return slash <= 0 ? "/" : manifest.substring(0, slash);
    }
}
