/**
 * Writes the audit settings the manifest got through to kubeadm's ClusterConfiguration (ConfigMap
 * kube-system/kubeadm-config), so that {@code kubeadm upgrade}, which renders the control-plane manifests
 * from it, keeps them; and takes them out again on teardown.
 *
 * <p>Who does what: {@link io.kubeaudit.kubeadm.KubeadmWriteThrough} runs read, edit, replace and retry;
 * {@code KubeadmConfigMap} is the only class that talks to the API (kubectl raw get/replace);
 * {@code ClusterConfiguration} parses and writes the YAML, {@code ArgMap}/{@code ArgList} are its
 * {@code apiServer.extraArgs} in the v1beta3 and v1beta4 shapes, {@code ExtraVolumes} its
 * {@code apiServer.extraVolumes}; {@code ClusterConfigurationEditor} decides what to set, keep and give
 * back; {@code WriteThroughRecord} is what was changed, kept as an annotation on the ConfigMap.
 *
 * <p>Guarantees and choices:
 * <ul>
 * <li><b>One truth.</b> The flags and volumes come from {@link io.kubeaudit.manifest.AuditSettings}, the
 *     same source the manifest editor uses, for the version in {@code kubernetesVersion}.</li>
 * <li><b>Schemas.</b> Only {@code kubeadm.k8s.io/v1beta3} (map) and {@code v1beta4} (list, names may
 *     repeat); anything else, or a shape that does not match its apiVersion, is refused and nothing is
 *     written.</li>
 * <li><b>Everything else stays.</b> The YAML tree is changed in place: other keys keep their order, other
 *     scalars their style. Comments are dropped (kubeadm writes none).</li>
 * <li><b>Exactly ours.</b> The record lists the arguments added, the original value of each one
 *     overwritten (per occurrence) and the volumes added; an edit first undoes the record, then applies
 *     the settings, so equal settings give equal content and a changed setting leaves nothing stale.
 *     Teardown undoes the record only. The record lives on the object, written in the same update.</li>
 * <li><b>No lost update.</b> A replace carries the resourceVersion read; a 409 Conflict means read and
 *     edit again, at most five times, then a reported failure.</li>
 * <li><b>No needless write.</b> Equal arguments (by name, values in order), volumes (by name) and record
 *     mean no write, whatever the layout.</li>
 * <li><b>Never against the node.</b> Callers run it after the node's own change ended healthy; its
 *     problems are warnings and undo nothing.</li>
 * </ul>
 */
package io.kubeaudit.kubeadm;
