package io.kubeaudit.testing.opensearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node OpenSearch on 127.0.0.1 for the tests and the bench. Start one per test class
 * ({@code @BeforeAll}: {@code OpenSearchServer.start("MyIT")}) and close it in {@code @AfterAll}.
 *
 * <p>The distribution is the {@code org.opensearch.distribution.integ-test-zip} zip that Maven unpacks into this
 * module's {@code target/opensearch} (its pom; {@code opensearch-server.properties} says where). The JVM is started
 * directly, not through {@code bin/opensearch}, whose launcher runs three more JVMs first; the options are the
 * launcher's own system options plus the heap. OpenSearch refuses to run as root, so as root it is started through
 * {@code setpriv} (which execs, so the PID we hold is the server's) as the unprivileged user {@code .ci/run} creates
 * ({@value UnprivilegedUser#DEFAULT}, or {@code -Dopensearch.user}).
 *
 * <p>Each server gets its own run directory under {@code target/opensearch/runs} (config, data, logs, tmp); the
 * HTTP and transport ports are chosen by the server (port 0) and read from the ports file it writes, so two test
 * JVMs never race for a port, and kept across {@link #stop} or {@link #kill} and {@link #resume}. The node is stopped by PID: by {@link #close}, by a shutdown hook when the test JVM
 * exits first, and by a watcher process when the test JVM is killed; a node that outlived all of these is found by
 * its run directory's owner file and stopped when the next one starts.
 *
 * <p>{@code java -cp <this module's classes>:<jackson> io.kubeaudit.testing.opensearch.OpenSearchServer NAME [HEAP]}
 * runs one for the bench: it prints {@code url=URL} and {@code pid=PID} once ready and keeps the node up until it is
 * terminated.
 */
public final class OpenSearchServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String heap;
    private Path home;
    private Path runDir;
    private Process process;
    private int httpPort;
    private int transportPort;
    private Thread shutdownHook;
    private Process watcher;
    private OpenSearchHttp http;

    private OpenSearchServer(String heap) {
        this.heap = heap;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: OpenSearchServer NAME [HEAP]");
            System.exit(2);
        }
        OpenSearchServer server = start(args[0], args.length > 1 ? args[1] : "384m");
        System.out.println("url=" + server.url());
        System.out.println("pid=" + server.pid());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts a fresh node with a 384 MB heap (enough for the tests, small for a 2-core CI machine). */
    public static OpenSearchServer start(String name) throws IOException, InterruptedException {
        return start(name, "384m");
    }

    /** Starts a fresh node (new run directory, ports chosen by the server) and returns once it is healthy. */
    public static OpenSearchServer start(String name, String heap) throws IOException, InterruptedException {
        OpenSearchServer server = new OpenSearchServer(heap);
        server.home = distribution();
        Path runs = Files.createDirectories(server.home.getParent().resolve("runs"));
        StaleServers.stop(runs);
        server.runDir = Files.createTempDirectory(runs, name + "-");
        Files.writeString(server.runDir.resolve(StaleServers.OWNER), Long.toString(ProcessHandle.current().pid()));
        for (String sub : List.of("config", "data", "logs", "tmp")) {
            Files.createDirectories(server.runDir.resolve(sub));
        }
        Files.writeString(server.runDir.resolve("config/log4j2.properties"), LOG4J);
        server.launch();
        return server;
    }

    /** Stops the node the way an operator would (SIGTERM, SIGKILL after a minute); {@link #resume} brings it back. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        forget();
    }

    /** kill -9 of the node; {@link #resume} starts it again on the same data and ports. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        forget();
    }

    /** Starts a stopped or killed node again on its data and ports. */
    public synchronized void resume() throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("OpenSearch is running, pid " + process.pid());
        }
        launch();
    }

    /** Stops the node; its run directory stays under target/ for a look at its logs. */
    @Override
    public synchronized void close() throws InterruptedException {
        stop();
    }

    /** http://127.0.0.1:port, the same across restarts. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** A small JSON client for the test's own requests (searches, settings, refreshes). */
    public OpenSearchHttp http() {
        return http;
    }

    public long pid() {
        return process.pid();
    }

    /** The node's console log (its only log: the run's log4j config writes to the console). */
    public Path log() {
        return runDir.resolve("logs/console.log");
    }

    private void launch() throws IOException, InterruptedException {
        writeConfig();
        Optional<UnprivilegedUser> owner = UnprivilegedUser.whenRoot();
        if (owner.isPresent()) {
            owner.get().takeOver(runDir, home);
        }
        Path portsFile = runDir.resolve("logs/http.ports");
        Files.deleteIfExists(portsFile);
        Files.deleteIfExists(runDir.resolve("logs/transport.ports"));
        List<String> command = new ArrayList<>();
        owner.ifPresent(o -> command.addAll(o.commandPrefix()));
        command.addAll(javaCommand());
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("OPENSEARCH_") || k.equals("JAVA_TOOL_OPTIONS"));
        process = pb.start();
        Files.writeString(runDir.resolve(StaleServers.PID), Long.toString(process.pid()));
        Process started = process;
        shutdownHook = new Thread(started::destroyForcibly, "stop OpenSearch " + started.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        watcher = watch(started.pid());
        awaitReady(portsFile);
    }

    private void awaitReady(Path portsFile) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.isRegularFile(portsFile) || Files.size(portsFile) == 0) {
            if (!process.isAlive()) {
                int code = process.exitValue();
                forget();
                throw new IllegalStateException("OpenSearch exited with " + code + " while starting; " + logTail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("OpenSearch did not start within " + START_TIMEOUT.toSeconds() + "s; " + logTail());
            }
            Thread.sleep(100);
        }
        httpPort = port(portsFile);
        transportPort = port(runDir.resolve("logs/transport.ports"));
        http = new OpenSearchHttp(url());
        // Single node, no replicas wanted: yellow means every primary is assigned (the node recovered its indexes).
        OpenSearchHttp.Reply health = http.call("GET", "/_cluster/health?wait_for_status=yellow&timeout="
                + Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L) + "s", null);
        if (health.status() != 200) {
            throw new IllegalStateException("OpenSearch started but is not healthy: " + health.body() + "; " + logTail());
        }
    }

    private static int port(Path portsFile) throws IOException {
        String first = Files.readAllLines(portsFile, StandardCharsets.UTF_8).get(0).trim();
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    }

    private void writeConfig() throws IOException {
        // Disk watermarks off: a nearly full CI disk must not turn the indexes read-only under the tests
        // (the read-only block is tested on purpose, by setting it).
        String yml = String.join("\n",
                "cluster.name: kube-audit-agent-it",
                "node.name: " + runDir.getFileName(),
                "path.data: " + runDir.resolve("data"),
                "path.logs: " + runDir.resolve("logs"),
                "network.host: 127.0.0.1",
                "http.port: " + httpPort,
                "transport.port: " + transportPort,
                "node.portsfile: true",
                "discovery.type: single-node",
                "cluster.routing.allocation.disk.threshold_enabled: false",
                "action.destructive_requires_name: false",
                "");
        Files.writeString(runDir.resolve("config/opensearch.yml"), yml);
    }

    private List<String> javaCommand() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-XX:+UseSerialGC",
                // What the distribution's launcher adds (org.opensearch.tools.launchers.SystemJvmOptions and jvm.options).
                "-Xss1m", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8", "-Djna.nosys=true",
                "-XX:-OmitStackTraceInFastThrow", "-XX:+ShowCodeDetailsInExceptionMessages",
                "-Dio.netty.noUnsafe=true", "-Dio.netty.noKeySetOptimization=true",
                "-Dio.netty.recycler.maxCapacityPerThread=0", "-Dio.netty.allocator.numDirectArenas=0",
                "-Dlog4j.shutdownHookEnabled=false", "-Dlog4j2.disable.jmx=true", "-Djava.locale.providers=SPI,COMPAT",
                "-Dopensearch.networkaddress.cache.ttl=60", "-Dopensearch.networkaddress.cache.negative.ttl=10",
                "-Djava.util.concurrent.ForkJoinPool.common.threadFactory=org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory",
                "-XX:ErrorFile=" + runDir.resolve("logs/hs_err_pid%p.log"),
                "-Djava.io.tmpdir=" + runDir.resolve("tmp")));
        if (Runtime.version().feature() >= 18) {
            command.add("-Djava.security.manager=allow");
        }
        command.addAll(List.of(
                "-Dopensearch.path.home=" + home,
                "-Dopensearch.path.conf=" + runDir.resolve("config"),
                "-Dopensearch.distribution.type=zip",
                "-Dopensearch.bundled_jdk=false",
                "-cp", home.resolve("lib") + "/*",
                "org.opensearch.bootstrap.OpenSearch"));
        return command;
    }

    /**
     * A shell that kills the node once this JVM is gone (kill -9 of a test run leaves no shutdown hook to run) and
     * ends by itself when the node ends.
     */
    private Process watch(long serverPid) throws IOException {
        String script = "while kill -0 $1 2>/dev/null && kill -0 $2 2>/dev/null; do sleep 1; done; kill -0 $1 2>/dev/null || kill -9 $2 2>/dev/null";
        return new ProcessBuilder("sh", "-c", script, "opensearch-watch", Long.toString(ProcessHandle.current().pid()), Long.toString(serverPid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private void forget() {
        if (watcher != null) {
            watcher.destroyForcibly();
            watcher = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyExiting) {
                // the hook is running or has run: nothing to remove
            }
            shutdownHook = null;
        }
        process = null;
        try {
            Files.deleteIfExists(runDir.resolve(StaleServers.PID));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return "last lines of " + log() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "its log " + log() + " cannot be read: " + e.getMessage();
        }
    }

    private static Path distribution() {
        Properties p = new Properties();
        try (InputStream in = OpenSearchServer.class.getResourceAsStream("/opensearch-server.properties")) {
            if (in == null) {
                throw new IllegalStateException("opensearch-server.properties is missing from the class path; build the opensearch-server module with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path home = Path.of(p.getProperty("home")).toAbsolutePath();
        if (!Files.isDirectory(home.resolve("lib"))) {
            throw new IllegalStateException("no OpenSearch distribution at " + home + ": run mvn -pl opensearch-server process-resources,"
                    + " which downloads the zip and unpacks it there");
        }
        return home;
    }

    /** Console-only logging into the run's console.log, at INFO, as the distribution logs by default. */
    private static final String LOG4J = String.join("\n",
            "status = error",
            "appender.console.type = Console",
            "appender.console.name = console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
            "rootLogger.level = info",
            "rootLogger.appenderRef.console.ref = console",
            "");
}
