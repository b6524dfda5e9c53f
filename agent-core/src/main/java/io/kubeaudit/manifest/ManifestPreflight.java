package io.kubeaudit.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks on a manifest before it is handed to the kubelet. */
public final class ManifestPreflight {

    private ManifestPreflight() {
    }

    /**
     * The paths in --audit-policy-file and --audit-log-path that the API server would not find on the
     * node: not inside a hostPath mount, or (for the log) a mount of the log file alone, since rotation
     * renames the file and needs its directory mounted.
     */
    public static List<String> unmountedPaths(ApiServerManifest m) {
        List<String> out = new ArrayList<>();
        Optional<String> policy = m.flag(AuditFlags.POLICY_FILE).filter(p -> !p.isBlank());
        if (policy.isPresent() && m.mountedHostPathFor(policy.get()).isEmpty()) {
            out.add(policy.get());
        }
        Optional<String> log = m.flag(AuditFlags.LOG_PATH).filter(p -> !p.isBlank() && !p.equals("-"));
        if (log.isPresent()) {
            boolean fileOnly = m.coveringMount(log.get())
                    .filter(mount -> PathNames.normalize(mount.mountPath()).equals(PathNames.normalize(log.get()))).isPresent();
            if (fileOnly || m.mountedHostPathFor(PathNames.parent(log.get())).isEmpty()) {
                out.add(log.get());
            }
        }
        return out;
    }
}
