package io.kubeaudit.manifest;

/**
 * A hostPath volume as the kube-apiserver container sees it, with paths as written in the manifest.
 *
 * @param volumeName the volume's name in spec.volumes
 * @param hostPath   hostPath.path on the node
 * @param mountPath  where the container sees it
 * @param type       hostPath.type ("" when not given: no check by the kubelet)
 * @param readOnly   the mount's readOnly
 */
public record HostPathMount(String volumeName, String hostPath, String mountPath, String type, boolean readOnly) {

    public HostPathMount {
        if (volumeName == null || hostPath == null || mountPath == null || type == null) {
            throw new IllegalArgumentException("host path mount fields must not be null");
        }
    }

    /** Whether the kubelet would accept a directory here: no type check, or a directory type. */
    public boolean directoryType() {
        return isDirectoryType(type);
    }

    /** Whether the kubelet would accept a regular file here. */
    public boolean fileType() {
        return isFileType(type);
    }

    static boolean isDirectoryType(String type) {
        return type.isEmpty() || type.equals("Directory") || type.equals("DirectoryOrCreate");
    }

    static boolean isFileType(String type) {
        return type.isEmpty() || type.equals("File") || type.equals("FileOrCreate");
    }
}
