package io.kubeaudit.sim;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of one static pod as the kubelet emulator sees it; what {@code crictl ps -a} and the mirror
 * pod's status would tell about it on a real node.
 *
 * @param uid the pod UID ({@code kubernetes.io/config.hash}); empty when absent
 * @param manifest the node path of the manifest file that declared it
 * @param restartCount container restarts since this pod UID first started
 * @param pid the running container's process id
 * @param containerLog the current (or last) container's CRI log under /var/log/pods
 * @param reason why the pod is not running (volume set-up error, back-off, exit code), empty when running
 */
public record StaticPodStatus(String namespace, String name, State state, String uid, String manifest, int restartCount,
                              OptionalLong pid, String containerId, Optional<Path> containerLog, String reason) {

    public enum State {
        /** No manifest declares the pod (or the last re-list could not parse it). */
        ABSENT,
        /** Volumes could not be set up (e.g. a missing {@code type: File} hostPath): no container exists. */
        CONTAINER_CREATING,
        RUNNING,
        /** The container exited and waits out its back-off before the next start. */
        CRASH_LOOP_BACK_OFF,
        /** The simulator runs only kube-apiserver containers; this pod's command is something else. */
        NOT_RUNNABLE
    }

    static StaticPodStatus absent(String namespace, String name) {
        return new StaticPodStatus(namespace, name, State.ABSENT, "", "", 0, OptionalLong.empty(), "", Optional.empty(), "");
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }
}
