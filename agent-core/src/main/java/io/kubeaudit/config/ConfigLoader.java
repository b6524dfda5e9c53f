package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlDocuments;
import io.kubeaudit.yaml.YamlMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads {@code config.yaml} strictly into {@link AgentConfig}: unknown keys, wrong types and bad
 * values are errors naming file, line and column. Missing keys take their defaults.
 */
public final class ConfigLoader {

    private static final Set<String> DESTINATION_TYPES = Set.of("webhook", "opensearch", "kafka", "loki", "splunk");

    private ConfigLoader() {
    }

    /**
     * Loads {@code file}; when {@code file} is the default path and does not exist, the defaults apply
     * (a node needs no config file to start). An explicitly named file must exist.
     */
    public static AgentConfig load(Path file, boolean explicit) throws InvalidInputException {
        if (!Files.exists(file)) {
            if (explicit) {
                throw new InvalidInputException(new SourceLocation(file.toString(), 0, 0), "config file does not exist");
            }
            return AgentConfig.defaults();
        }
        return parse(file.toString(), YamlDocuments.read(file));
    }

    public static AgentConfig parse(String fileName, String text) throws InvalidInputException {
        List<Node> docs = YamlDocuments.all(fileName, text);
        if (docs.isEmpty()) {
            return AgentConfig.defaults();
        }
        YamlMapping top = YamlMapping.of(fileName, "", YamlDocuments.single(fileName, text));
        AgentConfig d = AgentConfig.defaults();
        String root = top.string("root").orElse(d.root());
        if (!root.startsWith("/")) {
            throw top.error(top.keyNode("root"), "root must be an absolute path, found \"" + root + "\"");
        }
        AuditConfig audit = top.mapping("audit").isPresent() ? audit(top.mapping("audit").get()) : d.audit();
        ApplyConfig apply = top.mapping("apply").isPresent() ? apply(top.mapping("apply").get()) : d.apply();
        ShipConfig ship = top.mapping("ship").isPresent() ? ship(top.mapping("ship").get()) : d.ship();
        MetricsConfig metrics = top.mapping("metrics").isPresent() ? metrics(top.mapping("metrics").get()) : d.metrics();
        SetupConfig setup = top.mapping("setup").isPresent() ? setup(top.mapping("setup").get()) : d.setup();
        top.finish();
        return new AgentConfig(root, audit, apply, ship, metrics, setup);
    }

    private static AuditConfig audit(YamlMapping m) throws InvalidInputException {
        AuditConfig d = AuditConfig.defaults();
        AuditConfig c = new AuditConfig(
                m.string("policy").orElse(d.policy()),
                absolutePath(m, "policyPath", d.policyPath()),
                absolutePath(m, "logPath", d.logPath()),
                range(m, "maxAge", d.maxAge(), 0, 3650),
                range(m, "maxBackup", d.maxBackup(), 1, 1000),
                range(m, "maxSize", d.maxSize(), 1, 100_000),
                m.bool("compress").orElse(d.compress()));
        m.finish();
        if (c.logPath().endsWith("/")) {
            throw m.error(m.keyNode("logPath"), "audit.logPath must name a file, not a directory");
        }
        return c;
    }

    private static ApplyConfig apply(YamlMapping m) throws InvalidInputException {
        ApplyConfig d = ApplyConfig.defaults();
        List<String> command = m.strings("healthCommand").orElse(d.healthCommand());
        if (command.isEmpty()) {
            throw m.error(m.keyNode("healthCommand"), "apply.healthCommand must name a command");
        }
        ApplyConfig c = new ApplyConfig(
                absolutePath(m, "manifest", d.manifest()),
                absolutePath(m, "backupDir", d.backupDir()),
                duration(m, "healthTimeout", d.healthTimeout()),
                command,
                m.string("healthUrl").orElse(d.healthUrl()),
                size(m, "minFreeSpace", d.minFreeBytes()));
        m.finish();
        return c;
    }

    private static ShipConfig ship(YamlMapping m) throws InvalidInputException {
        ShipConfig d = ShipConfig.defaults();
        String stateDir = absolutePath(m, "stateDir", d.stateDir());
        ShipConfig.StartPosition start = d.start();
        Optional<String> startText = m.string("start");
        if (startText.isPresent()) {
            try {
                start = ShipConfig.StartPosition.valueOf(startText.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw m.error(m.value("start").orElseThrow(), "ship.start must be beginning or end, found \"" + startText.get() + "\"");
            }
        }
        long budget = size(m, "memoryBudget", d.memoryBudget());
        if (budget < 1024 * 1024) {
            throw m.error(m.keyNode("memoryBudget"), "ship.memoryBudget must be at least 1MiB");
        }
        BatchConfig batch = m.mapping("batch").isPresent() ? batch(m.mapping("batch").get()) : d.batch();
        List<DestinationConfig> destinations = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node n : m.list("destinations").orElse(List.of())) {
            DestinationConfig dest = destination(YamlMapping.of(m.file(), "ship.destinations[" + destinations.size() + "]", n));
            if (!names.add(dest.name())) {
                throw m.error(n, "destination name \"" + dest.name() + "\" is used twice; names key checkpoints and must be unique");
            }
            destinations.add(dest);
        }
        RetryConfig retry = d.retry();
        if (m.mapping("retry").isPresent()) {
            YamlMapping r = m.mapping("retry").get();
            Duration initial = duration(r, "initialBackoff", d.retry().initialBackoff());
            Duration max = duration(r, "maxBackoff", d.retry().maxBackoff());
            if (initial.isZero()) {
                throw r.error(r.value("initialBackoff").orElseThrow(), "ship.retry.initialBackoff must be above 0");
            }
            if (max.compareTo(initial) < 0) {
                throw r.error(r.value("maxBackoff").orElse(r.node()), "ship.retry.maxBackoff must not be below initialBackoff ("
                        + Units.formatDuration(initial) + ")");
            }
            r.finish();
            retry = new RetryConfig(initial, max);
        }
        ShipConfig c = new ShipConfig(stateDir, start, budget, batch, destinations,
                m.string("nodeName").orElse(d.nodeName()), m.string("clusterName").orElse(d.clusterName()),
                retry, duration(m, "shutdownTimeout", d.shutdownTimeout()));
        m.finish();
        return c;
    }

    private static BatchConfig batch(YamlMapping m) throws InvalidInputException {
        BatchConfig d = BatchConfig.defaults();
        BatchConfig c = new BatchConfig(
                range(m, "maxEvents", d.maxEvents(), 1, 1_000_000),
                size(m, "maxBytes", d.maxBytes()),
                duration(m, "maxWait", d.maxWait()),
                range(m, "maxInFlight", d.maxInFlight(), 1, 64));
        m.finish();
        return c;
    }

    private static DestinationConfig destination(YamlMapping m) throws InvalidInputException {
        String name = m.string("name").orElseThrow(() -> m.error(m.node(), m.path() + ".name is required"));
        String type = m.string("type").orElseThrow(() -> m.error(m.node(), m.path() + ".type is required"));
        if (!DESTINATION_TYPES.contains(type)) {
            throw m.error(m.value("type").orElseThrow(), m.path() + ".type \"" + type + "\" is not one of " + DESTINATION_TYPES);
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw m.error(m.value("name").orElseThrow(), m.path() + ".name \"" + name + "\" may hold only letters, digits, '.', '_' and '-'");
        }
        if (type.equals("kafka")) {
            return DestinationConfig.of(KafkaConfigReader.read(m, name));
        }
        String url = m.string("url").orElseThrow(() -> m.error(m.node(), m.path() + ".url is required"));
        Map<String, String> headers = new LinkedHashMap<>();
        Optional<YamlMapping> h = m.mapping("headers");
        if (h.isPresent()) {
            for (String k : h.get().keys()) {
                headers.put(k, h.get().string(k).orElse(""));
            }
            h.get().finish();
        }
        DestinationConfig c = new DestinationConfig(name, type, url,
                m.bool("gzip").orElse(false),
                m.string("caFile").orElse(""),
                m.string("certFile").orElse(""),
                m.string("keyFile").orElse(""),
                m.string("tokenFile").orElse(""),
                headers,
                duration(m, "connectTimeout", Duration.ofSeconds(10)),
                duration(m, "requestTimeout", Duration.ofSeconds(30)),
                size(m, "maxEventBytes", 3L * 1024 * 1024));
        if (c.maxEventBytes() < 1024) {
            throw m.error(m.value("maxEventBytes").orElseThrow(), m.child("maxEventBytes") + " must be at least 1KiB (an audit event is rarely smaller)");
        }
        m.finish();
        return c;
    }

    private static MetricsConfig metrics(YamlMapping m) throws InvalidInputException {
        MetricsConfig d = MetricsConfig.defaults();
        MetricsConfig c = new MetricsConfig(m.string("listen").orElse(d.listen()), duration(m, "stallThreshold", d.stallThreshold()));
        m.finish();
        return c;
    }

    private static SetupConfig setup(YamlMapping m) throws InvalidInputException {
        SetupConfig d = SetupConfig.defaults();
        SetupConfig.DriftAction onDrift = d.onDrift();
        Optional<String> onDriftText = m.string("onDrift");
        if (onDriftText.isPresent()) {
            try {
                onDrift = SetupConfig.DriftAction.valueOf(onDriftText.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw m.error(m.value("onDrift").orElseThrow(), "setup.onDrift must be reapply or report, found \"" + onDriftText.get() + "\"");
            }
        }
        boolean enabled = m.bool("enabled").orElse(d.enabled());
        Duration interval = duration(m, "reconcileInterval", d.reconcileInterval());
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw m.error(m.value("reconcileInterval").orElseThrow(), "setup.reconcileInterval must be at least 1s");
        }
        Duration initial = d.backoffInitial();
        Duration max = d.backoffMax();
        Optional<YamlMapping> backoff = m.mapping("backoff");
        if (backoff.isPresent()) {
            YamlMapping b = backoff.get();
            initial = duration(b, "initial", initial);
            max = duration(b, "max", max);
            if (initial.isZero() || max.compareTo(initial) < 0) {
                throw b.error(b.node(), "setup.backoff needs 0 < initial <= max, found initial " + Units.formatDuration(initial)
                        + " and max " + Units.formatDuration(max));
            }
            b.finish();
        }
        SetupConfig.Lease lease = d.lease();
        Optional<YamlMapping> leaseMapping = m.mapping("lease");
        if (leaseMapping.isPresent()) {
            YamlMapping l = leaseMapping.get();
            Duration leaseDuration = duration(l, "duration", lease.duration());
            if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
                throw l.error(l.value("duration").orElseThrow(), "setup.lease.duration must be at least 1s");
            }
            lease = new SetupConfig.Lease(l.bool("enabled").orElse(lease.enabled()), leaseDuration,
                    absolutePath(l, "kubeconfig", lease.kubeconfig()));
            l.finish();
        }
        boolean crossCheck = m.bool("crossCheck").orElse(d.crossCheck());
        SetupConfig.KubeadmConfig kubeadmConfig = kubeadmConfig(m, d.kubeadmConfig());
        m.finish();
        return new SetupConfig(enabled, interval, onDrift, initial, max, lease, crossCheck, kubeadmConfig);
    }

    private static SetupConfig.KubeadmConfig kubeadmConfig(YamlMapping m, SetupConfig.KubeadmConfig def) throws InvalidInputException {
        Optional<String> text = m.string("kubeadmConfig");
        if (text.isEmpty()) {
            return def;
        }
        for (SetupConfig.KubeadmConfig mode : SetupConfig.KubeadmConfig.values()) {
            if (mode.text().equals(text.get())) {
                return mode;
            }
        }
        throw m.error(m.value("kubeadmConfig").orElseThrow(), "setup.kubeadmConfig must be writeThrough or off, found \"" + text.get() + "\"");
    }

    private static String absolutePath(YamlMapping m, String key, String def) throws InvalidInputException {
        Optional<String> v = m.string(key);
        if (v.isPresent() && !v.get().startsWith("/")) {
            throw m.error(m.value(key).orElseThrow(), m.child(key) + " must be an absolute path, found \"" + v.get() + "\"");
        }
        return v.orElse(def);
    }

    private static int range(YamlMapping m, String key, int def, int min, int max) throws InvalidInputException {
        Optional<Long> v = m.integer(key);
        if (v.isEmpty()) {
            return def;
        }
        if (v.get() < min || v.get() > max) {
            throw m.error(m.value(key).orElseThrow(), m.child(key) + " must be between " + min + " and " + max + ", found " + v.get());
        }
        return v.get().intValue();
    }

    static long size(YamlMapping m, String key, long def) throws InvalidInputException {
        Optional<Node> v = m.value(key);
        if (v.isEmpty()) {
            return def;
        }
        Long bytes = v.get() instanceof ScalarNode s ? Units.parseSize(s.getValue()) : null;
        if (bytes == null) {
            throw m.error(v.get(), m.child(key) + " must be a size such as 64MiB or 4096, found " + YamlMapping.describe(v.get()));
        }
        return bytes;
    }

    static Duration duration(YamlMapping m, String key, Duration def) throws InvalidInputException {
        Optional<Node> v = m.value(key);
        if (v.isEmpty()) {
            return def;
        }
        Duration d = v.get() instanceof ScalarNode s ? Units.parseDuration(s.getValue()) : null;
        if (d == null) {
            throw m.error(v.get(), m.child(key) + " must be a duration such as 500ms, 30s, 5m or 1h, found " + YamlMapping.describe(v.get()));
        }
        return d;
    }
}
