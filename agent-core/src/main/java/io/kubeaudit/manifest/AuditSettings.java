package io.kubeaudit.manifest;

import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.node.KubeVersion;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit flags and hostPath volumes the manifest editor gives kube-apiserver, for whatever else must
 * carry the same settings (kubeadm's ClusterConfiguration): one source, so the two cannot disagree.
 *
 * @param flags        flag (with its dashes) to value, always set
 * @param wherePresent flag to value, set only where the operator already has the flag
 * @param volumes      the policy file and the log directory, each at the same path on the node and in the container
 */
public record AuditSettings(Map<String, String> flags, Map<String, String> wherePresent, List<Volume> volumes) {

    public AuditSettings {
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        wherePresent = Map.copyOf(wherePresent);
        volumes = List.copyOf(volumes);
    }

    /**
     * A hostPath volume mounted at its own path.
     *
     * @param name     the name the editor gives a new volume ({@code audit-policy}, {@code audit-logs})
     * @param path     node path, also the path in the container
     * @param pathType hostPath type: File for the policy, DirectoryOrCreate for the log directory
     * @param readOnly true for the policy; the server writes the log directory
     */
    public record Volume(String name, String path, String pathType, boolean readOnly) {
        public Volume {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(pathType, "pathType");
        }

        /** Whether a hostPath of type {@code type} ("" for none) holds what this volume needs. */
        public boolean acceptsType(String type) {
            return HostPathMount.isDirectoryType(pathType) ? HostPathMount.isDirectoryType(type) : HostPathMount.isFileType(type);
        }
    }

    /** @param version the kube-apiserver version the settings are for; empty when unknown (taken as current) */
    public static AuditSettings of(AuditConfig audit, Optional<KubeVersion> version) {
        String policy = PathNames.normalize(audit.policyPath());
        String logDir = PathNames.parent(PathNames.normalize(audit.logPath()));
        return new AuditSettings(AuditFlags.desired(audit, version), AuditFlags.wherePresent(audit, version),
                List.of(new Volume(AuditMounts.POLICY_VOLUME, policy, AuditMounts.FILE, true),
                        new Volume(AuditMounts.LOG_VOLUME, logDir, AuditMounts.DIRECTORY_OR_CREATE, false)));
    }
}
