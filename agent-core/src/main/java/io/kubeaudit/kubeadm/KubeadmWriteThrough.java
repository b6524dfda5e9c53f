package io.kubeaudit.kubeadm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.kube.Kubectl;
import io.kubeaudit.manifest.AuditSettings;
import io.kubeaudit.node.NodePaths;
import java.util.List;
import java.util.Optional;

/**
 * Writes the audit settings the manifest got through to kubeadm's ClusterConfiguration (ConfigMap
 * kube-system/kubeadm-config), so that {@code kubeadm upgrade}, which renders the control-plane manifests
 * from it, keeps them; and takes them out again on teardown.
 *
 * <p>Callers run it only after the node's own setup ended healthy: a failure here is reported and never
 * undoes that setup. Each attempt reads the ConfigMap, edits it, and replaces it with the resourceVersion
 * read; a 409 Conflict (someone else wrote in between) means read and edit again, at most {@value #ATTEMPTS}
 * times, as client-go's default retry on conflict does.
 */
public final class KubeadmWriteThrough {

    static final int ATTEMPTS = 5;

    private final KubeadmConfigMap configMap;

    KubeadmWriteThrough(Kubectl kubectl) {
        this.configMap = new KubeadmConfigMap(kubectl);
    }

    /**
     * The write-through for {@code config}: kubectl with setup.lease.kubeconfig's credentials, through the
     * cluster endpoint; empty when setup.kubeadmConfig is off.
     */
    public static Optional<KubeadmWriteThrough> forConfig(AgentConfig config) {
        if (config.setup().kubeadmConfig() != SetupConfig.KubeadmConfig.WRITE_THROUGH) {
            return Optional.empty();
        }
        NodePaths paths = config.paths();
        return Optional.of(new KubeadmWriteThrough(new Kubectl("kubectl", paths.resolve(config.setup().lease().kubeconfig()), List.of(),
                paths.resolve(config.ship().stateDir()))));
    }

    /** Sets the audit flags and volumes of {@code audit}; a dry run only says what it would change. */
    public WriteThroughOutcome enable(AuditConfig audit, boolean dryRun) throws InterruptedException {
        return run(dryRun, (c, record) -> ClusterConfigurationEditor.enable(c, record, AuditSettings.of(audit, c.kubernetesVersion())),
                KubeadmConfigMap.OBJECT + " already carries the audit settings");
    }

    /** Removes what the agent added and restores what it overwrote; a dry run only says what it would change. */
    public WriteThroughOutcome disable(boolean dryRun) throws InterruptedException {
        return run(dryRun, ClusterConfigurationEditor::disable, KubeadmConfigMap.OBJECT + " holds none of the agent's audit settings");
    }

    /** One edit of a parsed ClusterConfiguration given what an earlier write recorded. */
    private interface EditStep {
        ClusterConfigurationEdit apply(ClusterConfiguration c, WriteThroughRecord previous) throws KubeadmConfigException;
    }

    private WriteThroughOutcome run(boolean dryRun, EditStep step, String unchanged) throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            KubeadmConfigMap.Read read = configMap.read();
            if (read instanceof KubeadmConfigMap.Read.Missing) {
                return new WriteThroughOutcome.Skipped("there is no " + KubeadmConfigMap.OBJECT + ", so this cluster was not set up by"
                        + " kubeadm (or its config was removed): nothing to write through to; set setup.kubeadmConfig: off");
            }
            if (read instanceof KubeadmConfigMap.Read.Unavailable u) {
                return new WriteThroughOutcome.Failed(u.reason() + "; nothing was written");
            }
            ObjectNode object = ((KubeadmConfigMap.Read.Found) read).configMap();
            ClusterConfigurationEdit edit;
            try {
                edit = step.apply(clusterConfiguration(object), WriteThroughRecord.fromJson(annotation(object)));
            } catch (KubeadmConfigException e) {
                return new WriteThroughOutcome.Refused(e.getMessage());
            }
            if (!edit.changed()) {
                return new WriteThroughOutcome.Unchanged(unchanged);
            }
            List<String> changes = edit.changes().isEmpty() ? List.of("annotation " + WriteThroughRecord.ANNOTATION + " updated") : edit.changes();
            if (dryRun) {
                return new WriteThroughOutcome.Planned(changes, edit.diff());
            }
            KubeadmConfigMap.Write written = configMap.replace(updated(object, edit));
            if (written instanceof KubeadmConfigMap.Write.Replaced) {
                return new WriteThroughOutcome.Written(changes, edit.diff(), attempt);
            }
            if (written instanceof KubeadmConfigMap.Write.Unavailable u) {
                return new WriteThroughOutcome.Failed(u.reason() + "; nothing was written");
            }
        }
        return new WriteThroughOutcome.Failed(KubeadmConfigMap.OBJECT + " changed between reading and writing it in each of " + ATTEMPTS
                + " attempts (409 Conflict every time): nothing was written; the daemon tries again at the next reconcile");
    }

    private static ClusterConfiguration clusterConfiguration(ObjectNode object) throws KubeadmConfigException {
        JsonNode text = object.path("data").path(KubeadmConfigMap.KEY);
        if (!text.isTextual()) {
            throw new KubeadmConfigException(KubeadmConfigMap.OBJECT + " has no " + KubeadmConfigMap.KEY + " key: nothing was written");
        }
        return ClusterConfiguration.parse(text.asText());
    }

    private static String annotation(ObjectNode object) {
        JsonNode value = object.path("metadata").path("annotations").path(WriteThroughRecord.ANNOTATION);
        return value.isTextual() ? value.asText() : null;
    }

    /** The object as read (resourceVersion included) with the new ClusterConfiguration and record. */
    private static ObjectNode updated(ObjectNode object, ClusterConfigurationEdit edit) {
        ObjectNode next = object.deepCopy();
        ((ObjectNode) next.get("data")).put(KubeadmConfigMap.KEY, edit.after());
        ObjectNode metadata = next.withObjectProperty("metadata");
        if (edit.record().isEmpty()) {
            if (metadata.get("annotations") instanceof ObjectNode annotations) {
                annotations.remove(WriteThroughRecord.ANNOTATION);
                if (annotations.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
        } else {
            metadata.withObjectProperty("annotations").put(WriteThroughRecord.ANNOTATION, edit.record().toJson());
        }
        return next;
    }
}
