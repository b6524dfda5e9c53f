package io.kubeaudit.sim;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLParameters;
import io.kubeaudit.node.KubeVersion;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in kube-apiserver process for a node without a cluster. It takes the real command line, refuses
 * what the real server refuses (unknown {@code --audit-*} flags, invalid audit options, a policy file that is
 * missing from the container, unparsable or invalid), serves HTTPS on 127.0.0.1:{@code --secure-port} with
 * the node's certificates (client certificates authenticate users, as with kubeadm's admin.conf), enough for
 * a real {@code kubectl get nodes}, and writes audit events with the real server's policy
 * semantics and lumberjack rotation. Failures print {@code Error: <message>} to stderr and exit 1, so the
 * kubelet emulator's crashloop and CRI log look like a real node's.
 *
 * <p>Started by {@link KubeletEmulator} with argv[0] {@code kube-apiserver}; it sees files through the
 * container's mounts ({@link ContainerFilesystem}) and learns its pod from the environment
 * ({@link ContainerContext}). It exits when the kubelet that started it is gone, so no test run leaves
 * servers behind.
 */
public final class FakeApiServer implements AutoCloseable {

    /** Containerised processes are PID 1 in their namespace; klog prints that. */
    private static final long CONTAINER_PID = 1;

    private final HttpServer http;
    private final ExecutorService workers;
    private final Auditor auditor;
    private final TrafficGenerator traffic;
    private final InstantSource clock;
    private final PrintStream log;

    private FakeApiServer(HttpServer http, ExecutorService workers, Auditor auditor, TrafficGenerator traffic,
                          InstantSource clock, PrintStream log) {
        this.http = http;
        this.workers = workers;
        this.auditor = auditor;
        this.traffic = traffic;
        this.clock = clock;
        this.log = log;
    }

    public static void main(String[] args) {
        try {
            FakeApiServer server = start(List.of(args), System.getenv(), InstantSource.system(), System.out, System.err);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
            ContainerContext.fromEnvironment(System.getenv()).kubeletPid()
                    .ifPresent(pid -> exitWhenGone(pid, server.log));
        } catch (StartupException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Parses, validates, loads the policy, opens the audit log and starts serving; the caller owns the result. */
    static FakeApiServer start(List<String> args, Map<String, String> env, InstantSource clock, PrintStream stdout,
                               PrintStream log) throws StartupException {
        ContainerContext context = ContainerContext.fromEnvironment(env);
        ContainerFilesystem files = ContainerFilesystem.fromEnvironment(env);
        KubeVersion version = context.version();
        ApiServerFlags flags = ApiServerFlags.parse(args, version);
        AuditLogOptions audit = AuditLogOptions.from(flags);
        List<String> invalid = audit.validate(version);
        if (!invalid.isEmpty()) {
            throw new StartupException(AuditLogOptions.aggregate(invalid));
        }
        log.println(Klog.info(clock.instant(), CONTAINER_PID, "options.go:221",
                "external host was not specified, using 127.0.0.1"));
        log.println(Klog.info(clock.instant(), CONTAINER_PID, "server.go:148", "Version: " + version));

        ServingTls tls = ServingTls.from(flags, files, clock.instant());
        Optional<ServerPolicy> policy = loadPolicy(audit, files, version, clock, log);
        Optional<AuditSink> sink = openLog(audit, files, context, clock, stdout, log);
        Optional<Auditor.Backend> backend = sink.map(s -> new Auditor.Backend(audit.format(), s));
        if (backend.isPresent() && policy.isEmpty()) {
            log.println(Klog.info(clock.instant(), CONTAINER_PID, "audit.go:397",
                    "No audit policy file provided, no events will be recorded for log backend"));
        }
        Auditor auditor = new Auditor(policy, backend, clock,
                msg -> log.println(Klog.error(clock.instant(), CONTAINER_PID, "audit.go:84", msg)));
        // Bound last: an HttpServer that was never started keeps its port, and a later failure would leak it.
        HttpsServer http;
        try {
            http = bind(flags, tls);
        } catch (StartupException e) {
            auditor.close();
            throw e;
        }
        TrafficGenerator traffic = new TrafficGenerator(auditor, context);
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        http.createContext("/", new ApiHandler(auditor, new ClusterObjects(context, clock.instant()), context, traffic,
                flags.securePort(), e -> log.println(Klog.error(clock.instant(), CONTAINER_PID, "wrap.go:57",
                        "\"apiserver panic'd\" err=" + GoStrings.quote(e.toString())))));
        http.setExecutor(workers);
        http.start();
        log.println(Klog.info(clock.instant(), CONTAINER_PID, "secure_serving.go:213",
                "Serving securely on 127.0.0.1:" + flags.securePort()));
        traffic.startBackground(context.eventsPerSecond());
        return new FakeApiServer(http, workers, auditor, traffic, clock, log);
    }

    private static HttpsServer bind(ApiServerFlags flags, ServingTls tls) throws StartupException {
        int port = flags.securePort();
        String shown = flags.others().getOrDefault("bind-address", "0.0.0.0") + ":" + port;
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            server.setHttpsConfigurator(new HttpsConfigurator(tls.context()) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters ssl = tls.context().getDefaultSSLParameters();
                    ssl.setWantClientAuth(tls.verifiesClients());
                    params.setSSLParameters(ssl);
                }
            });
            return server;
        } catch (BindException e) {
            throw new StartupException("failed to create listener: failed to listen on " + shown + ": listen tcp " + shown
                    + ": bind: address already in use", e);
        } catch (IOException e) {
            throw new StartupException("failed to create listener: failed to listen on " + shown + ": " + e.getMessage(), e);
        }
    }

    private static Optional<ServerPolicy> loadPolicy(AuditLogOptions audit, ContainerFilesystem files, KubeVersion version,
                                                    InstantSource clock, PrintStream log) throws StartupException {
        if (audit.policyFile().isEmpty()) {
            return Optional.empty();
        }
        ContainerFilesystem.Resolved where = files.resolve(audit.policyFile());
        PolicyFileLoader.Loaded loaded = PolicyFileLoader.load(audit.policyFile(), where.hostPath(), version);
        loaded.warnings().forEach(w -> log.println(Klog.warning(clock.instant(), CONTAINER_PID, "reader.go:93", w)));
        return Optional.of(loaded.policy());
    }

    /** getWriter + ensureLogFile: the log directory (0700) and file (0600) exist before the first event. */
    private static Optional<AuditSink> openLog(AuditLogOptions audit, ContainerFilesystem files, ContainerContext context,
                                               InstantSource clock, PrintStream stdout, PrintStream log)
            throws StartupException {
        if (!audit.logEnabled()) {
            return Optional.empty();
        }
        if (audit.toStdout()) {
            return Optional.of(new StdoutSink(stdout));
        }
        ContainerFilesystem.Resolved where = files.resolve(audit.path());
        Path file = where.hostPath();
        String dir = Path.of(where.containerPath()).getParent().toString();
        try {
            if (!Files.isDirectory(file.getParent())) {
                if (files.resolve(dir).readOnly()) {
                    throw new StartupException("ensureLogFile: mkdir " + dir + ": read-only file system");
                }
                Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (where.readOnly()) {
                throw new StartupException("ensureLogFile: open " + where.containerPath() + ": read-only file system");
            }
            if (!Files.exists(file)) {
                Files.newByteChannel(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))).close();
            }
        } catch (IOException e) {
            throw new StartupException("ensureLogFile: open " + where.containerPath() + ": " + e.getMessage(), e);
        }
        long maxBytes = context.maxSizeBytesOverride().orElse(audit.maxSizeMegabytes() == 0
                ? LumberjackLogFile.DEFAULT_MAX_BYTES : audit.maxSizeMegabytes() * LumberjackLogFile.MEGABYTE);
        return Optional.of(new LumberjackLogFile(file, where.containerPath(),
                new LumberjackLogFile.Rotation(maxBytes, audit.maxBackups(), audit.maxAgeDays(), audit.compress()),
                where.isMountPoint(), clock,
                msg -> log.println(Klog.error(clock.instant(), CONTAINER_PID, "lumberjack.go:224", msg))));
    }

    int port() {
        return http.getAddress().getPort();
    }

    /** Stops serving, then closes the audit log and lets a pending compression finish. */
    @Override
    public void close() {
        log.println(Klog.info(clock.instant(), CONTAINER_PID, "genericapiserver.go:685",
                "\"[graceful-termination] shutdown event\" name=\"ShutdownInitiated\""));
        traffic.close();
        http.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        auditor.close();
        log.println(Klog.info(clock.instant(), CONTAINER_PID, "genericapiserver.go:1081",
                "\"[graceful-termination] apiserver is exiting\""));
        log.flush();
    }

    /** A server whose kubelet died would be an orphan on a shared machine: leave with it. */
    private static void exitWhenGone(long kubeletPid, PrintStream log) {
        Thread watchdog = new Thread(() -> {
            Optional<ProcessHandle> kubelet = ProcessHandle.of(kubeletPid);
            while (kubelet.map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            log.println("kubelet (pid " + kubeletPid + ") is gone; the simulated API server exits with it");
            System.exit(0);
        }, "kubelet-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
