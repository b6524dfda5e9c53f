package io.kubeaudit.testing.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Kafka broker in KRaft mode (combined broker and controller, one node) as a child JVM on 127.0.0.1 and free
 * ports, with the jars Maven copied into this module's target (see its pom). Storage is formatted with
 * {@code kafka.tools.StorageTool}, the broker started with {@code kafka.Kafka}; the same folder and ports survive
 * {@link #kill()} and {@link #restart()}, so fault tests can kill -9 it mid-stream. Start one per test class
 * ({@code @BeforeAll}) and close it in {@code @AfterAll}; a shutdown hook and the child's own parent watch
 * ({@link BrokerMain}) stop it when a test run ends any other way.
 *
 * <p>{@code java -cp <this module's classes> io.kubeaudit.testing.kafka.KafkaBroker DIR [HEAP_MB] [PARTITIONS]}
 * runs one for the bench: it prints {@code bootstrap=HOST:PORT} and {@code pid=PID} once ready and keeps the
 * broker up until it is terminated.
 */
public final class KafkaBroker implements AutoCloseable {

    /** What KafkaRaftServer logs once the broker serves requests. */
    static final String STARTED = "Kafka Server started";
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final int NODE_ID = 1;

    private final Path dir;
    private final BrokerSettings settings;
    private final int port;
    private final int controllerPort;
    private final int saslPort;
    private final Thread shutdownHook = new Thread(this::killQuietly, "kafka-broker-stop");
    private Process process;

    private KafkaBroker(Path dir, BrokerSettings settings, int[] ports) {
        this.dir = dir;
        this.settings = settings;
        this.port = ports[0];
        this.controllerPort = ports[1];
        this.saslPort = ports[2];
    }

    /** Formats storage under {@code dir} (made if missing) and starts the broker; returns once it serves requests. */
    public static KafkaBroker start(Path dir, BrokerSettings settings) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        KafkaBroker broker = new KafkaBroker(dir.toAbsolutePath(), settings, freePorts(3));
        Files.writeString(broker.dir.resolve("server.properties"), broker.serverProperties(), StandardCharsets.UTF_8);
        Files.writeString(broker.dir.resolve("log4j2.properties"), LOG_CONFIG, StandardCharsets.UTF_8);
        broker.format();
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        broker.launch();
        return broker;
    }

    /** The PLAINTEXT listener (anonymous; a super user when the authorizer is on). */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The SASL_PLAINTEXT listener (PLAIN and SCRAM-SHA-256/512 for {@link BrokerSettings#saslUsers()}). */
    public String saslBootstrapServers() {
        if (saslPort == 0 || settings.saslUsers().isEmpty()) {
            throw new IllegalStateException("this broker has no SASL users, so no SASL listener");
        }
        return "127.0.0.1:" + saslPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The broker's own log (all its starts), for a failing test's message. */
    public Path log() {
        return dir.resolve("broker.log");
    }

    /** kill -9 (SIGKILL) and wait until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("broker pid " + process.pid() + " still alive 30 s after SIGKILL");
        }
    }

    /** Starts the killed broker again on the same storage and ports; returns once it serves requests. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("broker pid " + process.pid() + " is still running; kill() it first");
        }
        launch();
    }

    /** Kills the broker (its storage is a test's temporary folder: nothing to shut down cleanly for). */
    @Override
    public void close() throws InterruptedException {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook runs anyway
        }
    }

    private void killQuietly() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private String serverProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        boolean sasl = !settings.saslUsers().isEmpty();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort
                + (sasl ? ",SASL_PLAINTEXT://127.0.0.1:" + saslPort : ""));
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + (sasl ? ",SASL_PLAINTEXT://127.0.0.1:" + saslPort : ""));
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", Integer.toString(settings.partitions()));
        // One node: every internal topic with one replica, and no waiting for group members that will not come.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        if (sasl) {
            p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
            p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + settings.saslUsers().entrySet().stream()
                            .map(u -> "user_" + u.getKey() + "=\"" + u.getValue() + "\"")
                            .collect(Collectors.joining(" ")) + ";");
            for (String mechanism : List.of("scram-sha-256", "scram-sha-512")) {
                p.put("listener.name.sasl_plaintext." + mechanism + ".sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            }
        }
        if (settings.authorize()) {
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // The controller, the broker itself and the tests' own admin and consumers come in anonymously.
            p.put("super.users", "User:ANONYMOUS");
        }
        p.putAll(settings.overrides());
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n"));
    }

    private void format() throws IOException, InterruptedException {
        List<String> command = java(List.of("-Xmx128m"), libClassPath(), "kafka.tools.StorageTool");
        command.addAll(List.of("format", "--cluster-id", clusterId(), "--config", dir.resolve("server.properties").toString()));
        for (Map.Entry<String, String> user : settings.saslUsers().entrySet()) {
            for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
                command.addAll(List.of("--add-scram", mechanism + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]"));
            }
        }
        Path out = dir.resolve("format.log");
        Process format = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        format.getOutputStream().close();
        if (!format.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            format.destroyForcibly();
            throw new IOException("kafka.tools.StorageTool did not finish formatting " + dir + " within " + FORMAT_TIMEOUT.toSeconds() + " s");
        }
        if (format.exitValue() != 0) {
            throw new IOException("kafka.tools.StorageTool format failed (exit " + format.exitValue() + "): " + Files.readString(out));
        }
    }

    private void launch() throws IOException, InterruptedException {
        Path log = log();
        long from = Files.exists(log) ? Files.size(log) : 0;
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + settings.heapMb() + "m", "-Xms" + settings.heapMb() + "m",
                "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties")));
        String classPath = libClassPath() + java.io.File.pathSeparator + ownClassPath();
        List<String> command = java(jvm, classPath, BrokerMain.class.getName());
        command.add(dir.resolve("server.properties").toString());
        // stdin stays an open pipe to us: BrokerMain ends the broker when it closes.
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitStarted(log, from);
    }

    private void awaitStarted(Path log, long from) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!logSince(log, from).contains(STARTED)) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with " + process.exitValue() + " before it started; " + log + ":\n" + tail(log, from));
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IOException("Kafka broker did not start within " + READY_TIMEOUT.toSeconds() + " s; " + log + ":\n" + tail(log, from));
            }
            Thread.sleep(50);
        }
    }

    private static String logSince(Path log, long from) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(Math.min(from, Files.size(log)));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String tail(Path log, long from) throws IOException {
        String text = logSince(log, from);
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    private static List<String> java(List<String> jvmOptions, String classPath, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, mainClass));
        return command;
    }

    /** The broker's jars, copied by Maven (kafka-broker.properties says where). */
    private static String libClassPath() {
        Properties p = new Properties();
        try (InputStream in = KafkaBroker.class.getResourceAsStream("/kafka-broker.properties")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.properties is missing from the class path; build the kafka-broker module with Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path lib = Path.of(p.getProperty("lib"));
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("the Kafka broker's jars are not in " + lib + "; run mvn -pl kafka-broker process-resources");
        }
        return lib.resolve("*").toString();
    }

    /** Where BrokerMain is: this module's classes folder or jar. */
    private static String ownClassPath() {
        try {
            return Path.of(BrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A KRaft cluster id: 16 random bytes, base64url without padding, not starting with '-' (as Kafka's Uuid). */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    /** {@code n} distinct ports free on 127.0.0.1 just now (all held open together, so none repeats). */
    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Warnings only, except the line that says the broker is up. */
    private static final String LOG_CONFIG = """
            status = warn
            appender.out.type = Console
            appender.out.name = out
            appender.out.layout.type = PatternLayout
            appender.out.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = warn
            rootLogger.appenderRef.out.ref = out
            logger.started.name = kafka.server.KafkaRaftServer
            logger.started.level = info
            """;

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: KafkaBroker DIR [HEAP_MB] [PARTITIONS]");
            System.exit(2);
        }
        BrokerSettings settings = BrokerSettings.defaults();
        if (args.length > 1) {
            settings = settings.withHeapMb(Integer.parseInt(args[1]));
        }
        if (args.length > 2) {
            settings = settings.withPartitions(Integer.parseInt(args[2]));
        }
        KafkaBroker broker = start(Path.of(args[0]), settings);
        System.out.println("bootstrap=" + broker.bootstrapServers());
        System.out.println("pid=" + broker.pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
