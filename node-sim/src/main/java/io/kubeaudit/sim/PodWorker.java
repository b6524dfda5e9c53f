package io.kubeaudit.sim;

import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One static pod's life on the node, driven by the kubelet loop: a new pod UID replaces the old container
 * (SIGTERM, grace period, SIGKILL) before anything else; hostPath volumes are set up (a failure leaves no
 * container and is retried on every sync); the container is started, and restarted after it exits with a
 * doubling crash-loop back-off and an incremented restart count. Only the kubelet loop thread calls it.
 */
final class PodWorker {

    private static final Duration FIRST_MOUNT_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_MOUNT_RETRY = Duration.ofSeconds(122);

    private final NodePaths node;
    private final KubeletSettings settings;
    private final ContainerRuntime runtime;
    private final KubeletJournal journal;
    private final InstantSource clock;
    private final Runnable wakeLoop;
    private final String namespace;
    private final String name;

    private StaticPod pod;
    /** Written by the loop thread; read by the shutdown hook. */
    private volatile ContainerProcess container;
    private int restartCount;
    private boolean everStarted;
    private Instant backOffUntil;
    private Duration nextBackOff;
    /** nestedpendingoperations' exponential back-off for a failing volume set-up: 500ms doubling to 2m2s. */
    private Instant mountRetryAt;
    private Duration mountBackOff = FIRST_MOUNT_RETRY;
    private final Instant kubeletStarted;
    private StaticPodStatus.State state = StaticPodStatus.State.ABSENT;
    private String reason = "";
    private Optional<java.nio.file.Path> lastLog = Optional.empty();

    PodWorker(String namespace, String name, NodePaths node, KubeletSettings settings, ContainerRuntime runtime,
              KubeletJournal journal, InstantSource clock, Instant kubeletStarted, Runnable wakeLoop) {
        this.kubeletStarted = kubeletStarted;
        this.namespace = namespace;
        this.name = name;
        this.node = node;
        this.settings = settings;
        this.runtime = runtime;
        this.journal = journal;
        this.clock = clock;
        this.wakeLoop = wakeLoop;
    }

    /** Brings the pod to what {@code desired} says; null means no manifest declares it any more. */
    void sync(StaticPod desired) throws InterruptedException {
        if (desired == null) {
            if (pod != null) {
                journal.info("kubelet.go:2431", "\"SyncLoop REMOVE\" source=\"file\" pods=[\"" + key() + "\"]");
                kill();
                pod = null;
            }
            state = StaticPodStatus.State.ABSENT;
            reason = "";
            return;
        }
        if (pod == null || !pod.uid().equals(desired.uid())) {
            if (pod != null) {
                journal.info("kubelet.go:2431", "\"SyncLoop REMOVE\" source=\"file\" pods=[\"" + key() + "\"] podUID="
                        + GoStrings.quote(pod.uid()));
                kill();
            }
            journal.info("kubelet.go:2415", "\"SyncLoop ADD\" source=\"file\" pods=[\"" + key() + "\"] podUID="
                    + GoStrings.quote(desired.uid()) + " manifest=" + GoStrings.quote(desired.manifest()));
            pod = desired;
            restartCount = 0;
            everStarted = false;
            backOffUntil = null;
            nextBackOff = settings.crashLoopBackOff();
            mountRetryAt = null;
            mountBackOff = FIRST_MOUNT_RETRY;
            state = StaticPodStatus.State.CONTAINER_CREATING;
            reason = "";
            lastLog = Optional.empty();
            if (!ContainerRuntime.canRun(pod)) {
                state = StaticPodStatus.State.NOT_RUNNABLE;
                reason = "the simulator runs only kube-apiserver containers, this one runs " + pod.container().argv();
                journal.error("kuberuntime_manager.go:1256", "\"Simulator cannot run container\" pod=\"" + key()
                        + "\" container=" + GoStrings.quote(pod.container().name()) + " reason=" + GoStrings.quote(reason));
            }
        }
        pod = desired;
        if (state == StaticPodStatus.State.NOT_RUNNABLE) {
            return;
        }
        if (container != null && container.isAlive()) {
            state = StaticPodStatus.State.RUNNING;
            return;
        }
        if (container != null) {
            containerExited();
        }
        Instant now = clock.instant();
        if (backOffUntil != null && now.isBefore(backOffUntil)) {
            journal.error("pod_workers.go:1298", "\"Error syncing pod, skipping\" err=\"failed to \\\"StartContainer\\\" for \\\""
                    + pod.container().name() + "\\\" with CrashLoopBackOff: \\\"back-off " + reason + "\\\"\" pod=\"" + key() + "\"");
            return;
        }
        if (mountRetryAt != null && now.isBefore(mountRetryAt)) {
            return;
        }
        List<ContainerFilesystem.Mount> mounts;
        try {
            mounts = HostPathVolumes.setUp(pod, node);
            mountRetryAt = null;
            mountBackOff = FIRST_MOUNT_RETRY;
        } catch (HostPathVolumes.SetUpException e) {
            state = StaticPodStatus.State.CONTAINER_CREATING;
            reason = "MountVolume.SetUp failed for volume " + GoStrings.quote(e.volume) + " : " + e.getMessage();
            String unique = "kubernetes.io/host-path/" + pod.uid() + "-" + e.volume;
            Duration delay = mountBackOff;
            mountRetryAt = now.plus(delay);
            mountBackOff = delay.multipliedBy(2).compareTo(MAX_MOUNT_RETRY) > 0 ? MAX_MOUNT_RETRY : delay.multipliedBy(2);
            journal.error("nestedpendingoperations.go:348", "Operation for \"{volumeName:" + unique + " podName:" + pod.uid()
                    + " nodeName:}\" failed. No retries permitted until " + goTime(mountRetryAt) + " (durationBeforeRetry "
                    + goDuration(delay) + "). Error: MountVolume.SetUp failed for volume " + GoStrings.quote(e.volume)
                    + " (UniqueName: " + GoStrings.quote(unique) + ") pod " + GoStrings.quote(pod.fullName()) + " (UID: "
                    + GoStrings.quote(pod.uid()) + ") : " + e.getMessage());
            return;
        }
        if (everStarted) {
            restartCount++;
        }
        everStarted = true;
        try {
            container = runtime.start(pod, mounts, restartCount);
        } catch (IOException e) {
            journal.error("kuberuntime_manager.go:1256", "\"Failed to start container\" pod=\"" + key() + "\" err="
                    + GoStrings.quote(e.toString()));
            backOff(now, "could not start: " + e.getMessage());
            return;
        }
        container.onExit(wakeLoop);
        lastLog = Optional.of(container.logFile());
        state = StaticPodStatus.State.RUNNING;
        reason = "";
        journal.info("kubelet.go:2447", "\"SyncLoop (PLEG): event for pod\" pod=\"" + key() + "\" event={\"ID\":\""
                + pod.uid() + "\",\"Type\":\"ContainerStarted\",\"Data\":\"" + container.id() + "\"}");
    }

    private void containerExited() throws InterruptedException {
        container.finishLog();
        int code = container.exitCode();
        journal.info("generic.go:334", "\"Generic (PLEG): container finished\" podID=" + GoStrings.quote(pod.uid())
                + " containerID=" + GoStrings.quote(container.id()) + " exitCode=" + code);
        removeContainer();
        backOff(clock.instant(), "exit code " + code);
    }

    private void backOff(Instant now, String cause) {
        Duration delay = nextBackOff;
        backOffUntil = now.plus(delay);
        nextBackOff = delay.multipliedBy(2).compareTo(settings.maxCrashLoopBackOff()) > 0
                ? settings.maxCrashLoopBackOff() : delay.multipliedBy(2);
        state = StaticPodStatus.State.CRASH_LOOP_BACK_OFF;
        reason = delay.toMillis() + "ms restarting failed container=" + pod.container().name() + " pod=" + pod.fullName()
                + "_" + namespace + "(" + pod.uid() + ") after " + cause;
    }

    private void kill() throws InterruptedException {
        if (container == null) {
            return;
        }
        journal.info("kuberuntime_container.go:770", "\"Killing container with a grace period\" pod=\"" + key()
                + "\" podUID=" + GoStrings.quote(pod.uid()) + " containerName=" + GoStrings.quote(pod.container().name())
                + " containerID=\"containerd://" + container.id() + "\" gracePeriod=" + pod.terminationGraceSeconds());
        container.stop(Duration.ofSeconds(pod.terminationGraceSeconds()));
        removeContainer();
    }

    private void removeContainer() {
        try {
            runtime.remove(container);
        } catch (IOException e) {
            journal.error("kuberuntime_gc.go:150", "\"Failed to remove container\" containerID="
                    + GoStrings.quote(container.id()) + " err=" + GoStrings.quote(e.toString()));
        }
        container = null;
    }

    /** When the loop must run again for this pod even if nothing else happens (end of a back-off or of a mount retry wait). */
    Optional<Instant> wakeUpAt() {
        if (state == StaticPodStatus.State.CRASH_LOOP_BACK_OFF) {
            return Optional.ofNullable(backOffUntil);
        }
        return state == StaticPodStatus.State.CONTAINER_CREATING ? Optional.ofNullable(mountRetryAt) : Optional.empty();
    }

    /** Go's time.Time.String() in UTC, with the monotonic reading since the kubelet started: "... +0000 UTC m=+12.5". */
    private String goTime(Instant t) {
        String fraction = String.format("%09d", t.getNano()).replaceAll("0+$", "");
        Duration mono = Duration.between(kubeletStarted, t);
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(t)
                + (fraction.isEmpty() ? "" : "." + fraction) + " +0000 UTC m=+" + mono.toSeconds() + "."
                + String.format("%09d", mono.toNanosPart());
    }

    /** Go's time.Duration.String() for the back-off steps: 500ms, 1s, 1m4s, 2m2s. */
    static String goDuration(Duration d) {
        if (d.toSeconds() == 0) {
            return d.toMillis() + "ms";
        }
        long m = d.toMinutes();
        return (m > 0 ? m + "m" : "") + d.toSecondsPart() + "s";
    }

    /** Kills the container for good (emulator shutdown). */
    void shutdown() throws InterruptedException {
        if (pod != null) {
            kill();
        }
    }

    boolean isIdle() {
        return pod == null && container == null;
    }

    /** Forcibly kills a live container: the last resort when the JVM exits. */
    void killNow() {
        ContainerProcess c = container;
        if (c != null && c.isAlive()) {
            ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    StaticPodStatus status() {
        if (pod == null) {
            return StaticPodStatus.absent(namespace, name);
        }
        ContainerProcess c = container;
        return new StaticPodStatus(namespace, pod.fullName(), state, pod.uid(), pod.manifest(), restartCount,
                c != null && state == StaticPodStatus.State.RUNNING ? OptionalLong.of(c.pid()) : OptionalLong.empty(),
                c != null ? c.id() : "", lastLog, reason);
    }

    private String key() {
        return namespace + "/" + name;
    }
}
