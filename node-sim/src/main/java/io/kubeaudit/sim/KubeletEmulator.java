package io.kubeaudit.sim;

import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A kubelet for static pods only, running in this JVM: it watches the node's
 * {@code /etc/kubernetes/manifests} (inotify through a WatchService, plus a full re-list every
 * {@link KubeletSettings#fileCheckFrequency()}), and runs each kube-apiserver pod as a
 * {@link FakeApiServer} child process, replacing it when the manifest changes, restarting it with back-off
 * when it exits, and logging what it does to {@code <root>/var/log/kubelet.log} (the stand-in for
 * {@code journalctl -u kubelet}). See {@link StaticPodSource} for the file rules and {@link PodWorker} for a
 * pod's life.
 *
 * <p>{@link #close()} stops every container; a JVM shutdown hook kills them too, and each server exits on
 * its own when this JVM is gone, so no run leaves processes behind.
 */
public final class KubeletEmulator implements AutoCloseable {

    public static final String MANIFEST_DIR = "/etc/kubernetes/manifests";
    public static final String JOURNAL = "/var/log/kubelet.log";

    private record FileEvent(String name, boolean removed) {
    }

    private enum Signal { WAKE, RELIST, STOP }

    private final NodePaths node;
    private final KubeletSettings settings;
    private final InstantSource clock;
    private final KubeletJournal journal;
    private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    /** Changed by the loop thread; read by the shutdown hook. */
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private final Object statusLock = new Object();
    /** Guarded by statusLock; replaced by the loop thread after every sync. */
    private Map<String, StaticPodStatus> statuses = Map.of();
    private volatile long relistsStarted;
    private volatile long relistsCompleted;
    private volatile Throwable loopFailure;
    private Thread loop;
    private Thread watcher;
    private WatchService watchService;
    private Thread shutdownHook;
    private ContainerRuntime runtime;
    private Instant started;

    public KubeletEmulator(Path root, KubeletSettings settings) {
        this.node = new NodePaths(root);
        this.settings = settings;
        this.clock = InstantSource.system();
        this.journal = new KubeletJournal(node.resolve(JOURNAL), clock);
    }

    /** Starts watching and syncing; returns at once (containers start in the background). */
    public synchronized KubeletEmulator start() throws IOException {
        if (loop != null) {
            throw new IllegalStateException("the kubelet emulator is already started");
        }
        started = clock.instant();
        runtime = new ContainerRuntime(node, settings, clock, started);
        Path dir = node.resolve(MANIFEST_DIR);
        StaticPodSource source = new StaticPodSource(dir, MANIFEST_DIR, settings.nodeName(), journal);
        watchService = FileSystems.getDefault().newWatchService();
        dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        journal.info("kubelet.go:402", "\"Adding static pod path\" path=" + GoStrings.quote(MANIFEST_DIR));
        shutdownHook = new Thread(() -> workers.values().forEach(PodWorker::killNow), "kubelet-emulator-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        watcher = new Thread(this::watch, "kubelet-emulator-watch");
        watcher.setDaemon(true);
        watcher.start();
        ContainerRuntime containers = runtime;
        loop = new Thread(() -> run(source, containers), "kubelet-emulator-sync");
        loop.setDaemon(true);
        loop.start();
        return this;
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                        signals.add(Signal.RELIST);
                    } else {
                        signals.add(new FileEvent(e.context().toString(), e.kind() == StandardWatchEventKinds.ENTRY_DELETE));
                    }
                }
                if (!key.reset()) {
                    journal.error("file_linux.go:67", "\"Unable to watch the static pod path\" path="
                            + GoStrings.quote(MANIFEST_DIR) + " err=\"watch was cancelled\"; relying on the re-list");
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing: the sync loop stops on its own signal
        }
    }

    private void run(StaticPodSource source, ContainerRuntime runtime) {
        try {
            Instant nextRelist = Instant.MIN;
            while (true) {
                if (!clock.instant().isBefore(nextRelist)) {
                    relistsStarted++;
                    source.relist();
                    relistsCompleted++;
                    nextRelist = clock.instant().plus(settings.fileCheckFrequency());
                }
                sync(source, runtime);
                Object signal = signals.poll(waitMillis(nextRelist), TimeUnit.MILLISECONDS);
                while (signal != null) {
                    if (signal == Signal.STOP) {
                        return;
                    }
                    if (signal == Signal.RELIST) {
                        nextRelist = Instant.MIN;
                    } else if (signal instanceof FileEvent e) {
                        source.fileChanged(e.name(), e.removed());
                    }
                    signal = signals.poll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            loopFailure = e;
            journal.error("kubelet.go:1", "kubelet emulator stopped: " + e);
            throw e;
        } finally {
            for (PodWorker w : workers.values()) {
                try {
                    w.shutdown();
                } catch (InterruptedException e) {
                    w.killNow();
                }
            }
            publish();
        }
    }

    private long waitMillis(Instant nextRelist) {
        Instant wake = nextRelist;
        for (PodWorker w : workers.values()) {
            Optional<Instant> at = w.wakeUpAt();
            if (at.isPresent() && at.get().isBefore(wake)) {
                wake = at.get();
            }
        }
        return Math.max(1, Duration.between(clock.instant(), wake).toMillis());
    }

    private void sync(StaticPodSource source, ContainerRuntime runtime) throws InterruptedException {
        Map<String, StaticPod> desired = source.pods();
        Set<String> keys = new HashSet<>(workers.keySet());
        keys.addAll(desired.keySet());
        for (String key : keys) {
            String[] nsName = key.split("/", 2);
            PodWorker w = workers.computeIfAbsent(key, k -> new PodWorker(nsName[0], nsName[1], node, settings, runtime,
                    journal, clock, started, () -> signals.add(Signal.WAKE)));
            w.sync(desired.get(key));
            if (w.isIdle()) {
                workers.remove(key);
            }
        }
        publish();
    }

    private void publish() {
        Map<String, StaticPodStatus> next = new HashMap<>();
        workers.forEach((k, w) -> next.put(k, w.status()));
        synchronized (statusLock) {
            statuses = Map.copyOf(next);
            statusLock.notifyAll();
        }
    }

    public String nodeName() {
        return settings.nodeName();
    }

    public KubeletSettings settings() {
        return settings;
    }

    /** The kubelet's log, {@code <root>/var/log/kubelet.log}. */
    public Path journal() {
        return journal.file();
    }

    /** The kube-system/kube-apiserver-&lt;node&gt; pod; state ABSENT when no manifest declares it. */
    public StaticPodStatus apiServer() {
        String podName = "kube-apiserver-" + settings.nodeName();
        synchronized (statusLock) {
            return statuses.getOrDefault("kube-system/" + podName, StaticPodStatus.absent("kube-system", podName));
        }
    }

    /** The API server pod's UID (its kubernetes.io/config.hash), if the pod exists. */
    public Optional<String> podUid() {
        StaticPodStatus s = apiServer();
        return s.state() == StaticPodStatus.State.ABSENT ? Optional.empty() : Optional.of(s.uid());
    }

    public int restartCount() {
        return apiServer().restartCount();
    }

    /** The running API server container's process id. */
    public OptionalLong containerPid() {
        return apiServer().pid();
    }

    public boolean isRunning() {
        return apiServer().isRunning();
    }

    /**
     * Waits until the API server pod's status satisfies {@code condition}.
     *
     * @param what the condition in words, for the timeout message
     * @throws TimeoutException naming the last status seen
     */
    public StaticPodStatus awaitApiServer(String what, Predicate<StaticPodStatus> condition, Duration timeout)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (statusLock) {
            while (true) {
                StaticPodStatus s = apiServer();
                if (condition.test(s)) {
                    return s;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || loopFailure != null) {
                    throw new TimeoutException("kube-apiserver pod not " + what + " within " + timeout + "; last status: " + s
                            + (loopFailure != null ? "; the kubelet emulator failed: " + loopFailure : ""));
                }
                statusLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Waits for a full re-list of the manifest directory that started after this call. */
    public void awaitRelist(Duration timeout) throws TimeoutException, InterruptedException {
        long target = relistsStarted + 1;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (statusLock) {
            while (relistsCompleted < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no manifest re-list within " + timeout);
                }
                statusLock.wait(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** Stops watching and stops every container (SIGTERM, grace period, SIGKILL). */
    @Override
    public synchronized void close() {
        if (loop == null) {
            return;
        }
        signals.add(Signal.STOP);
        try {
            watchService.close();
            loop.join(Duration.ofMinutes(1).toMillis());
            watcher.join(5000);
        } catch (IOException e) {
            journal.error("kubelet.go:1", "closing the manifest watch: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            workers.values().forEach(PodWorker::killNow);
            try {
                runtime.close();
            } catch (IOException e) {
                journal.error("kubelet.go:1", "removing the simulator's kube-apiserver link: " + e);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook runs anyway
            }
        }
    }
}
