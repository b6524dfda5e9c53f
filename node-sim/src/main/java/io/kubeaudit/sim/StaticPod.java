package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod read from the static-pod directory, after the kubelet's defaulting: the full name is
 * {@code metadata.name + "-" + node}, the UID is the {@code kubernetes.io/config.hash} of file path and
 * content, and only what the simulator acts on is kept typed (first container, hostPath volumes).
 *
 * @param manifest the file's node path, e.g. /etc/kubernetes/manifests/kube-apiserver.yaml
 * @param json the pod as decoded, for the mirror pod the simulated API server serves
 */
record StaticPod(String manifest, String uid, String namespace, String name, String fullName, Container container,
                 List<Volume> volumes, long terminationGraceSeconds, ObjectNode json) {

    StaticPod {
        volumes = List.copyOf(volumes);
    }

    record Container(String name, String image, List<String> command, List<String> args, Map<String, String> env,
                     List<VolumeMount> volumeMounts) {
        Container {
            command = List.copyOf(command);
            args = List.copyOf(args);
            env = Map.copyOf(env);
            volumeMounts = List.copyOf(volumeMounts);
        }

        /** The container's argv: command, then args (an empty command means the image's entrypoint). */
        List<String> argv() {
            List<String> all = new java.util.ArrayList<>(command);
            if (all.isEmpty() && image.contains("kube-apiserver")) {
                all.add("kube-apiserver");
            }
            all.addAll(args);
            return all;
        }
    }

    record VolumeMount(String name, String mountPath, boolean readOnly, String subPath) {
    }

    record Volume(String name, Optional<HostPath> hostPath) {
    }

    record HostPath(String path, String type) {
    }

    /** The key the kubelet's source store uses: one pod per namespace/name, whichever file declares it. */
    String key() {
        return namespace + "/" + fullName;
    }

    boolean isApiServer() {
        return namespace.equals("kube-system") && name.equals("kube-apiserver");
    }
}
