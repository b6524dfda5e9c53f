package io.kubeaudit.kubeadm;

import java.util.Objects;

/**
 * One entry of {@code apiServer.extraVolumes} (kubeadm's HostPathMount, the same in v1beta3 and v1beta4).
 *
 * @param pathType the hostPath type, "" when not given (the kubelet then checks nothing)
 */
record HostPathVolume(String name, String hostPath, String mountPath, boolean readOnly, String pathType) {

    HostPathVolume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(mountPath, "mountPath");
        Objects.requireNonNull(pathType, "pathType");
    }

    String describe() {
        return name + " (host path " + hostPath + " at " + mountPath + (pathType.isEmpty() ? "" : ", " + pathType)
                + (readOnly ? ", read-only" : "") + ")";
    }
}
