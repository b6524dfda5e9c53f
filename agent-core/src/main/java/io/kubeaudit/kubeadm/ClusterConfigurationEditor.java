package io.kubeaudit.kubeadm;

import io.kubeaudit.manifest.AuditSettings;
import io.kubeaudit.manifest.PathNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the manifest's audit settings into kubeadm's ClusterConfiguration and takes them out again.
 *
 * <p>{@code enable} first undoes what the record says an earlier write added or overwrote, then applies the
 * settings to that operator's version (as the manifest editor does): the same settings give the same
 * content (no write), and changed settings leave nothing stale behind.
 */
final class ClusterConfigurationEditor {

    private static final String FLAG_DASHES = "--";

    private ClusterConfigurationEditor() {
    }

    static ClusterConfigurationEdit enable(ClusterConfiguration c, WriteThroughRecord previous, AuditSettings wanted)
            throws KubeadmConfigException {
        String before = c.emit();
        ClusterConfigurationChanges was = ClusterConfigurationChanges.of(c);
        revert(c, previous);
        WriteThroughRecord.Builder record = new WriteThroughRecord.Builder();
        ExtraArgs args = c.extraArgs();
        for (Map.Entry<String, String> flag : wanted.flags().entrySet()) {
            setArg(args, kubeadmName(flag.getKey()), flag.getValue(), true, record);
        }
        for (Map.Entry<String, String> flag : wanted.wherePresent().entrySet()) {
            setArg(args, kubeadmName(flag.getKey()), flag.getValue(), false, record);
        }
        ExtraVolumes volumes = c.extraVolumes();
        for (AuditSettings.Volume volume : wanted.volumes()) {
            ensureVolume(volumes, volume, record);
        }
        return edit(before, was, c, previous, record.build());
    }

    static ClusterConfigurationEdit disable(ClusterConfiguration c, WriteThroughRecord previous) throws KubeadmConfigException {
        String before = c.emit();
        ClusterConfigurationChanges was = ClusterConfigurationChanges.of(c);
        revert(c, previous);
        return edit(before, was, c, previous, WriteThroughRecord.NONE);
    }

    private static ClusterConfigurationEdit edit(String before, ClusterConfigurationChanges was, ClusterConfiguration c,
                                                 WriteThroughRecord previous, WriteThroughRecord next) throws KubeadmConfigException {
        List<String> changes = was.to(ClusterConfigurationChanges.of(c));
        return new ClusterConfigurationEdit(before, c.emit(), next, !next.equals(previous), changes);
    }

    /** kubeadm takes flags without their leading dashes. */
    static String kubeadmName(String flag) {
        return flag.startsWith(FLAG_DASHES) ? flag.substring(FLAG_DASHES.length()) : flag;
    }

    /** Back to what the operator had: overwritten values restored, added arguments and volumes removed. */
    private static void revert(ClusterConfiguration c, WriteThroughRecord record) throws KubeadmConfigException {
        ExtraArgs args = c.extraArgs();
        for (WriteThroughRecord.Restore r : record.restores()) {
            args.set(r.name(), r.occurrence(), r.value());
        }
        record.args().forEach(args::removeAll);
        ExtraVolumes volumes = c.extraVolumes();
        record.volumes().forEach(volumes::remove);
    }

    /** Sets every occurrence, recording each original value it overwrites; adds the argument when absent and asked to. */
    private static void setArg(ExtraArgs args, String name, String value, boolean addIfAbsent, WriteThroughRecord.Builder record) {
        List<String> values = args.values(name);
        if (values.isEmpty() && addIfAbsent) {
            args.add(name, value);
            record.addedArg(name);
        }
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).equals(value)) {
                record.replacedArg(name, i, values.get(i));
                args.set(name, i, value);
            }
        }
    }

    /**
     * Reuses a volume the operator already has for exactly this path (same path on the host, a fitting type,
     * writable for the log directory); refuses one that mounts something else there, since kubeadm would render
     * two mounts at one path; otherwise adds one, named like the manifest's ({@code -2}, ... when taken).
     */
    private static void ensureVolume(ExtraVolumes volumes, AuditSettings.Volume wanted, WriteThroughRecord.Builder record)
            throws KubeadmConfigException {
        List<HostPathVolume> existing = volumes.all();
        Optional<HostPathVolume> atPath = existing.stream().filter(v -> PathNames.normalize(v.mountPath()).equals(wanted.path())).findFirst();
        if (atPath.isPresent()) {
            HostPathVolume v = atPath.get();
            boolean fits = PathNames.normalize(v.hostPath()).equals(wanted.path()) && wanted.acceptsType(v.pathType())
                    && (wanted.readOnly() || !v.readOnly());
            if (fits) {
                return;
            }
            throw new KubeadmConfigException(KubeadmConfigMap.DESCRIPTION + ": " + ExtraVolumes.PATH + " already has " + v.describe()
                    + " at " + wanted.path() + "; kube-apiserver needs host path " + wanted.path() + " there (" + wanted.pathType()
                    + (wanted.readOnly() ? "" : ", writable") + "), as in its manifest: change that volume (or audit.policyPath,"
                    + " audit.logPath) and run setup again; the daemon tries again at every reconcile");
        }
        String name = wanted.name();
        for (int n = 2; taken(existing, name); n++) {
            name = wanted.name() + "-" + n;
        }
        volumes.add(new HostPathVolume(name, wanted.path(), wanted.path(), wanted.readOnly(), wanted.pathType()));
        record.addedVolume(name);
    }

    private static boolean taken(List<HostPathVolume> volumes, String name) {
        return volumes.stream().anyMatch(v -> v.name().equals(name));
    }
}
