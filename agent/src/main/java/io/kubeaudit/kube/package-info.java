/**
 * Talking to the Kubernetes API through the real kubectl ({@link io.kubeaudit.kube.Kubectl}): raw calls,
 * no discovery, the node's own kubeconfig. Used by the daemon's setup Lease and audit counters and by the
 * kubeadm-config write-through.
 */
package io.kubeaudit.kube;
