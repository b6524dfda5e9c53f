package io.kubeaudit.manifest;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlNodes;
import java.util.List;
import java.util.Optional;

/**
 * Makes the policy file and the audit log directory visible to the kube-apiserver container at the
 * same paths as on the node (the agent writes the policy and reads the log there): reuses a mount
 * that already provides them, turns a mount of the log file alone into a mount of its directory
 * (rotation renames the file inside the directory, which a file bind mount does not allow), and
 * otherwise adds hostPath volumes and mounts.
 */
final class AuditMounts {

    static final String POLICY_VOLUME = "audit-policy";
    static final String LOG_VOLUME = "audit-logs";
    static final String FILE = "File";
    static final String DIRECTORY_OR_CREATE = "DirectoryOrCreate";

    private final WorkingCopy copy;
    private final ManagedRecord.Builder managed;
    private final List<String> notes;

    AuditMounts(WorkingCopy copy, ManagedRecord.Builder managed, List<String> notes) {
        this.copy = copy;
        this.managed = managed;
        this.notes = notes;
    }

    void ensurePolicyFile(String policyPath) throws InvalidInputException {
        String path = PathNames.normalize(policyPath);
        ApiServerManifest m = copy.manifest();
        Optional<VolumeMount> cover = m.coveringMount(path);
        if (cover.isPresent()) {
            boolean exact = PathNames.normalize(cover.get().mountPath()).equals(path);
            Optional<HostPathMount> hp = hostPathMount(m, cover.get());
            if (sameOnNode(m, path) && hp.isPresent() && (exact ? hp.get().fileType() : hp.get().directoryType())) {
                return;
            }
            if (exact) {
                throw YamlNodes.error(m.fileName(), cover.get().node(), "the audit policy path " + path + " is already mounted "
                        + describe(m, cover.get()) + ", not as the file " + path + " of the node; point audit.policyPath"
                        + " elsewhere or change that mount");
            }
        }
        Optional<PodVolume> existing = m.volumes().stream().filter(v -> v.hostPath()
                .filter(hp -> PathNames.normalize(hp.path()).equals(path) && HostPathMount.isFileType(hp.type())).isPresent()).findFirst();
        String volume = existing.isPresent() ? existing.get().name() : newVolume(POLICY_VOLUME, path, FILE);
        copy.addMount(volume, path, true);
        managed.addedMount(volume, path);
    }

    void ensureLogDirectory(String logPath) throws InvalidInputException {
        String file = PathNames.normalize(logPath);
        String dir = PathNames.parent(file);
        Optional<VolumeMount> fileMount = copy.manifest().mounts().stream()
                .filter(x -> PathNames.normalize(x.mountPath()).equals(file)).findFirst();
        if (fileMount.isPresent()) {
            mountDirectoryInstead(fileMount.get(), file, dir);
        }
        ApiServerManifest m = copy.manifest();
        Optional<VolumeMount> cover = m.coveringMount(dir);
        if (cover.isPresent()) {
            Optional<HostPathMount> hp = hostPathMount(m, cover.get());
            if (sameOnNode(m, dir) && hp.isPresent() && hp.get().directoryType() && !cover.get().readOnly()) {
                return;
            }
            if (PathNames.normalize(cover.get().mountPath()).equals(dir)) {
                throw YamlNodes.error(m.fileName(), cover.get().node(), "the audit log directory " + dir + " is already mounted "
                        + describe(m, cover.get()) + "; the API server must write it read-write to " + dir
                        + " on the node: point audit.logPath elsewhere or change that mount");
            }
        }
        Optional<PodVolume> existing = m.volumes().stream().filter(v -> v.hostPath()
                .filter(hp -> PathNames.normalize(hp.path()).equals(dir) && HostPathMount.isDirectoryType(hp.type())).isPresent()).findFirst();
        String volume = existing.isPresent() ? existing.get().name() : newVolume(LOG_VOLUME, dir, DIRECTORY_OR_CREATE);
        copy.addMount(volume, dir, false);
        managed.addedMount(volume, dir);
    }

    /** Turns a mount of the log file alone into a mount of its directory, in place. */
    private void mountDirectoryInstead(VolumeMount mount, String file, String dir) throws InvalidInputException {
        ApiServerManifest m = copy.manifest();
        PodVolume volume = m.volume(mount.name()).orElseThrow();
        if (volume.hostPath().isEmpty()) {
            throw YamlNodes.error(m.fileName(), mount.node(), "the audit log file " + file + " is mounted from volume \""
                    + volume.name() + "\", which is not a hostPath; the log directory " + dir
                    + " must be a hostPath mount so the log lands on the node and rotation can rename the file");
        }
        List<String> others = m.otherContainersMounting(volume.name());
        if (!others.isEmpty()) {
            throw YamlNodes.error(m.fileName(), mount.node(), "the audit log file " + file + " is mounted alone (volume \""
                    + volume.name() + "\"), which breaks rotation, and containers " + others + " mount that volume too,"
                    + " so it cannot be changed into a directory mount here; mount the directory " + dir + " instead");
        }
        String hostFile = volume.hostPath().get().path();
        String oldType = volume.hostPath().get().type();
        copy.replaceScalar(mount.mountPathNode(), dir);
        copy.replaceScalar(copy.manifest().volume(volume.name()).orElseThrow().hostPath().orElseThrow().pathNode(), dir);
        PodVolume.HostPathSource hp = copy.manifest().volume(volume.name()).orElseThrow().hostPath().orElseThrow();
        if (hp.typeNode().isPresent()) {
            copy.replaceScalar(hp.typeNode().get(), DIRECTORY_OR_CREATE);
        } else {
            copy.insertEntry(hp.node(), "type", new YamlValue.Text(DIRECTORY_OR_CREATE));
        }
        VolumeMount fixed = copy.manifest().mounts().get(mount.index());
        if (fixed.readOnly()) {
            copy.replaceScalar(fixed.readOnlyNode().orElseThrow(), "false");
        }
        notes.add("volume " + volume.name() + " mounted only the audit log file " + file + " (host path " + hostFile
                + (oldType.isEmpty() ? "" : ", " + oldType) + "), which breaks rotation: kube-apiserver renames the"
                + " file inside its directory; it now mounts the directory " + dir + " (host path " + dir + ", "
                + DIRECTORY_OR_CREATE + ", read-write)");
    }

    private String newVolume(String base, String hostPath, String type) throws InvalidInputException {
        String name = base;
        for (int n = 2; copy.manifest().volume(name).isPresent(); n++) {
            name = base + "-" + n;
        }
        copy.addVolume(name, hostPath, type);
        managed.addedVolume(name);
        return name;
    }

    /** Whether the container sees {@code path} at the same path on the node, through a hostPath. */
    private static boolean sameOnNode(ApiServerManifest m, String path) {
        return m.mountedHostPathFor(path).map(PathNames::normalize).filter(path::equals).isPresent();
    }

    private static Optional<HostPathMount> hostPathMount(ApiServerManifest m, VolumeMount mount) {
        return m.hostPathMounts().stream().filter(h -> h.volumeName().equals(mount.name())
                && h.mountPath().equals(mount.mountPath())).findFirst();
    }

    private static String describe(ApiServerManifest m, VolumeMount mount) {
        Optional<HostPathMount> hp = hostPathMount(m, mount);
        if (hp.isEmpty()) {
            return "from volume \"" + mount.name() + "\", which is not a hostPath";
        }
        return "from host path " + hp.get().hostPath() + " (volume \"" + mount.name() + "\""
                + (hp.get().type().isEmpty() ? "" : ", type " + hp.get().type())
                + (hp.get().readOnly() ? ", read-only" : "") + ")";
    }
}
