package io.kubeaudit.kubeadm;

/** kubeadm's ClusterConfiguration cannot be edited safely (unknown apiVersion, unexpected shape); nothing was written. */
final class KubeadmConfigException extends Exception {

    KubeadmConfigException(String message) {
        super(message);
    }
}
