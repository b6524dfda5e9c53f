/**
 * Talking to the Kubernetes API through kubectl ({@link io.kubeaudit.kube.Kubectl}): raw calls, no
 * discovery, the node's own kubeconfig. Used by the setup Lease (commands and daemon), the daemon's audit
 * counters cross-check and the kubeadm-config write-through.
 */
package io.kubeaudit.kube;
