package io.kubeaudit.kubeadm;

import java.util.Objects;

/** One entry of {@code apiServer.extraArgs}: a kube-apiserver flag without its dashes, as kubeadm wants it. */
record Arg(String name, String value) {

    Arg {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
