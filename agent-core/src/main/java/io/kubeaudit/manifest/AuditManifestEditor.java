package io.kubeaudit.manifest;

import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * Turns auditing on and off in a kube-apiserver manifest by minimal text edits.
 *
 * <p>{@code enable} first undoes what an earlier run recorded in the manifest, then applies the audit
 * configuration to that operator's version. Applying the same configuration again therefore yields the
 * same bytes (no change, no restart), and a changed configuration leaves no stale flag or volume.
 */
public final class AuditManifestEditor {

    /** The installed policy's SHA-256: a policy-only change becomes a manifest change, so the kubelet restarts the server. */
    public static final String POLICY_HASH_ANNOTATION = "kube-audit-agent/policy-sha256";
    /** What the agent added or overwrote, so that {@link #disable} removes exactly that. */
    public static final String MANAGED_ANNOTATION = ManagedRecord.ANNOTATION;

    private AuditManifestEditor() {
    }

    public static ManifestEdit enable(ApiServerManifest m, AuditConfig audit, String policySha256) throws InvalidInputException {
        if (policySha256 == null || !policySha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("policy hash must be 64 lower-case hex digits, got " + policySha256);
        }
        AuditFlags.requireSupported(m);
        m.requireEditable();
        WorkingCopy copy = new WorkingCopy(revert(m));
        ManagedRecord.Builder managed = new ManagedRecord.Builder();
        List<String> notes = new ArrayList<>();

        for (Map.Entry<String, String> flag : AuditFlags.desired(audit, m.serverVersion()).entrySet()) {
            setFlag(copy, flag.getKey(), flag.getValue(), true, managed);
        }
        for (Map.Entry<String, String> flag : AuditFlags.wherePresent(audit, m.serverVersion()).entrySet()) {
            setFlag(copy, flag.getKey(), flag.getValue(), false, managed);
        }
        AuditMounts mounts = new AuditMounts(copy, managed, notes);
        mounts.ensurePolicyFile(audit.policyPath());
        mounts.ensureLogDirectory(audit.logPath());
        copy.setAnnotation(POLICY_HASH_ANNOTATION, policySha256);
        copy.setAnnotation(MANAGED_ANNOTATION, managed.build().toJson());

        ApiServerManifest result = copy.manifest();
        requireAuditReady(result, audit);
        List<String> changes = new ArrayList<>(notes);
        changes.addAll(ManifestChanges.between(m, result));
        return new ManifestEdit(m.text(), result.text(), changes);
    }

    /**
     * The audit settings (policy, log path, size, backups, age, format, compress) that differ between the config and
     * {@code flags} (a manifest's or a running server's {@code --audit-*} flags), one line each.
     */
    public static List<String> settingDifferences(AuditConfig audit, Optional<KubeVersion> serverVersion, Map<String, String> flags) {
        return AuditFlags.differences(audit, serverVersion, flags);
    }

    public static ManifestEdit disable(ApiServerManifest m) throws InvalidInputException {
        m.requireEditable();
        ApiServerManifest result = revert(m);
        return new ManifestEdit(m.text(), result.text(), ManifestChanges.between(m, result));
    }

    /**
     * Sets every occurrence of a flag in place, recording the original text so teardown can put it
     * back; adds the flag when absent and {@code addIfAbsent}.
     */
    private static void setFlag(WorkingCopy copy, String name, String value, boolean addIfAbsent, ManagedRecord.Builder managed)
            throws InvalidInputException {
        List<FlagItem> items = copy.manifest().flagItems(name);
        if (items.isEmpty() && addIfAbsent) {
            copy.addFlag(name, value);
            managed.addedFlag(name);
        }
        for (int i = 0; i < items.size(); i++) {
            FlagItem item = copy.manifest().flagItems(name).get(i);
            if (!item.value().equals(value)) {
                managed.replacedFlagValue(name, i, copy.scalarRegion(item.valueCarrier()));
                copy.replaceScalar(item.valueCarrier(), item.carrierText(value));
            }
        }
    }

    /** The operator's manifest: what the managed annotation records is taken out or put back. */
    private static ApiServerManifest revert(ApiServerManifest m) throws InvalidInputException {
        WorkingCopy copy = new WorkingCopy(m);
        Optional<String> json = m.annotation(MANAGED_ANNOTATION);
        if (json.isPresent()) {
            ManagedRecord record = ManagedRecord.fromJson(json.get(), managedLocation(m));
            for (ManagedRecord.Restore r : record.restores()) {
                List<FlagItem> items = copy.manifest().flagItems(r.flag());
                if (r.occurrence() < items.size()) {
                    copy.restoreScalarRegion(items.get(r.occurrence()).valueCarrier(), r.text());
                }
            }
            for (String flag : record.flags()) {
                for (int left = copy.manifest().flagItems(flag).size(); left > 0; left--) {
                    copy.removeFlag(copy.manifest().flagItems(flag).get(0));
                }
            }
            for (ManagedRecord.MountRef mount : record.mounts()) {
                copy.removeMount(mount.volume(), mount.mountPath());
            }
            for (String volume : record.volumes()) {
                copy.removeVolume(volume);
            }
        }
        copy.removeAnnotation(MANAGED_ANNOTATION);
        copy.removeAnnotation(POLICY_HASH_ANNOTATION);
        return copy.manifest();
    }

    private static SourceLocation managedLocation(ApiServerManifest m) {
        return m.location(m.annotationsNode().flatMap(a -> YamlNodes.entry(a, MANAGED_ANNOTATION))
                .map(NodeTuple::getValueNode).orElse(m.metadataNode()));
    }

    /** A last check of the result, so a layout the editor misjudged is refused rather than handed to the kubelet. */
    private static void requireAuditReady(ApiServerManifest result, AuditConfig audit) throws InvalidInputException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> flag : AuditFlags.desired(audit, result.serverVersion()).entrySet()) {
            List<FlagItem> items = result.flagItems(flag.getKey());
            if (items.isEmpty() || items.stream().anyMatch(i -> !i.value().equals(flag.getValue()))) {
                problems.add(flag.getKey() + " is not " + flag.getValue());
            }
        }
        for (String path : ManifestPreflight.unmountedPaths(result)) {
            problems.add(path + " is not on a hostPath mount");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(new SourceLocation(result.fileName(), 0, 0),
                    "could not be edited safely (after the edit " + String.join("; ", problems) + "); nothing was changed");
        }
    }
}
