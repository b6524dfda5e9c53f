package io.kubeaudit.sim;

import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The simulator's container runtime: turns a kube-apiserver container of a static pod into a
 * {@link FakeApiServer} process. The process runs as {@code kube-apiserver} in the process table (argv[0] via
 * {@code exec -a}, and the executable's name, hence /proc/PID/comm, via a symlink to java), its command line
 * being {@code kube-apiserver @<jvm argfile> <manifest flags>}, gets its mounts
 * and pod in the environment, a fresh scratch root per container, and its output in
 * {@code /var/log/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log}, keeping the current and previous log
 * as the kubelet does.
 */
final class ContainerRuntime {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-Xmx128m", "-XX:-UsePerfData");

    private final NodePaths node;
    private final KubeletSettings settings;
    private final InstantSource clock;
    private final Instant nodeCreated;
    private final Path stateDir;
    private final Path executable;
    private final Path argFile;

    ContainerRuntime(NodePaths node, KubeletSettings settings, InstantSource clock, Instant nodeCreated) throws IOException {
        this.node = node;
        this.settings = settings;
        this.clock = clock;
        this.nodeCreated = nodeCreated;
        this.stateDir = node.resolve("/var/lib/kubelet-sim");
        this.executable = stateDir.resolve("bin/kube-apiserver");
        this.argFile = stateDir.resolve("bin/kube-apiserver.args");
        Files.createDirectories(executable.getParent());
        // JVM options and the class path go in a java @argfile, so the process's command line is
        // "kube-apiserver @<file> <the manifest's flags>", close to a real server's.
        List<String> jvm = new ArrayList<>(JVM_OPTIONS);
        jvm.addAll(List.of("-cp", "\"" + settings.classpath().replace("\\", "\\\\") + "\"", FakeApiServer.class.getName()));
        Files.writeString(argFile, String.join("\n", jvm) + "\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        if (!Files.isSymbolicLink(executable) || !Files.readSymbolicLink(executable).equals(java)) {
            Files.deleteIfExists(executable);
            Files.createSymbolicLink(executable, java);
        }
    }

    /** Only kube-apiserver is emulated: a pod whose command starts with anything else cannot run here. */
    static boolean canRun(StaticPod pod) {
        List<String> argv = pod.container().argv();
        return !argv.isEmpty() && Path.of(argv.get(0)).getFileName().toString().equals("kube-apiserver");
    }

    ContainerProcess start(StaticPod pod, List<ContainerFilesystem.Mount> mounts, int restartCount) throws IOException {
        byte[] idBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        Path scratch = Files.createDirectories(stateDir.resolve("containers").resolve(id).resolve("rootfs"));
        Path logDir = logDirectory(pod);
        Files.createDirectories(logDir);
        Files.deleteIfExists(logDir.resolve((restartCount - 2) + ".log"));

        List<String> argv = new ArrayList<>(List.of("/bin/bash", "-c", "exec -a kube-apiserver \"$0\" \"$@\"",
                executable.toString()));
        argv.add("@" + argFile);
        List<String> podArgv = pod.container().argv();
        argv.addAll(podArgv.subList(1, podArgv.size()));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOSTNAME", settings.nodeName());
        env.putAll(pod.container().env());
        env.put(ContainerFilesystem.MOUNTS_ENV, ContainerFilesystem.encode(mounts));
        env.put(ContainerFilesystem.SCRATCH_ENV, scratch.toString());
        env.put(ContainerContext.NODE_NAME, settings.nodeName());
        env.put(ContainerContext.NODE_CREATED, nodeCreated.toString());
        env.put(ContainerContext.POD_UID, pod.uid());
        env.put(ContainerContext.CONTAINER_ID, id);
        env.put(ContainerContext.RESTART_COUNT, Integer.toString(restartCount));
        env.put(ContainerContext.IMAGE, pod.container().image());
        env.put(ContainerContext.POD_JSON, GoJson.write(pod.json()));
        env.put(ContainerContext.KUBELET_PID, Long.toString(ProcessHandle.current().pid()));
        env.put(ContainerContext.EVENT_RATE, Integer.toString(settings.backgroundEventsPerSecond()));
        if (settings.auditMaxSizeBytes() > 0) {
            env.put(ContainerContext.MAXSIZE_BYTES, Long.toString(settings.auditMaxSizeBytes()));
        }
        Path log = logDir.resolve(restartCount + ".log");
        return ContainerProcess.start(new ContainerProcess.Launch(id, argv, env, scratch, log), clock);
    }

    Path logDirectory(StaticPod pod) {
        return node.resolve("/var/log/pods").resolve(pod.namespace() + "_" + pod.fullName() + "_" + pod.uid())
                .resolve(pod.container().name());
    }

    /** Removes the runtime's own executable link (the containers are gone by then). */
    void close() throws IOException {
        Files.deleteIfExists(executable);
        Files.deleteIfExists(argFile);
    }

    /** A removed container's writable layer goes with it: what the server wrote outside its mounts is lost. */
    void remove(ContainerProcess container) throws IOException {
        Path dir = stateDir.resolve("containers").resolve(container.id());
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
