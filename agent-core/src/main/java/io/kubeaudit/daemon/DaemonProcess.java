package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.kube.Kubectl;
import io.kubeaudit.kube.SetupLease;
import io.kubeaudit.kubeadm.KubeadmWriteThrough;
import io.kubeaudit.log.Log;
import io.kubeaudit.log.LogLineStream;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.kubeaudit.time.Ticker;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/** Wires the daemon to the real node: the setup transaction, the shipper, systemd and the process's signals. */
public final class DaemonProcess {

    private DaemonProcess() {
    }

    /**
     * Runs the daemon in this process until SIGTERM/SIGINT; SIGHUP reloads the config.
     *
     * @param configFile   the config file (the default path may be missing: defaults apply)
     * @param explicit     whether the file was named on the command line (then it must exist)
     * @param rootOverride --root, which wins over the file's root
     * @return the exit code: 0 after an orderly stop
     * @throws InvalidInputException when the config does not validate (nothing was started)
     */
    public static int run(Path configFile, boolean explicit, Optional<String> rootOverride) throws InvalidInputException, InterruptedException {
        Log log = Log.stderr();
        Ticker clock = Ticker.system();
        ConfigSource source = new ConfigSource(configFile, explicit, rootOverride);
        ConfigSource.Loaded loaded = source.load();
        DaemonCounters counters = new DaemonCounters();
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid(), log);
        ShipperPort shipping = new ShipperPort(loaded.config(), clock, log, counters);
        Daemon daemon = new Daemon(source, loaded, new NodeSetupPort(LogLineStream.to(log, "setup")), c -> lease(c, clock),
                KubeadmWriteThrough::forConfig, DaemonProcess::auditMetrics, shipping, counters, notifier, log, clock);
        SignalRelay.install(daemon::post);
        return daemon.run();
    }

    /** The cluster-wide setup lease for {@code config}, through kubectl and the configured kubeconfig; empty when off. */
    public static Optional<ClusterLock> lease(AgentConfig config, InstantSource clock) {
        SetupConfig.Lease lease = config.setup().lease();
        if (!lease.enabled()) {
            return Optional.empty();
        }
        NodePaths paths = config.paths();
        Kubectl kubectl = new Kubectl("kubectl", paths.resolve(lease.kubeconfig()), List.of(), paths.resolve(config.ship().stateDir()));
        return Optional.of(new SetupLease(kubectl, identity(config), lease.duration(), clock));
    }

    /** Who holds the lease: ship.nodeName, else the host name (what kubeadm names the node after). */
    public static String identity(AgentConfig config) {
        return config.ship().nodeName().isEmpty() ? hostName() : config.ship().nodeName();
    }

    /**
     * The local API server's audit counters: kubectl with setup.lease.kubeconfig's credentials, pointed at
     * this node's server (apply.healthUrl, else the secure port from the manifest) rather than the cluster
     * endpoint, whose answer could come from another node. kubeadm's serving certificate names "kubernetes".
     */
    static Optional<ApiServerAuditMetrics> auditMetrics(AgentConfig config) {
        if (!config.setup().crossCheck()) {
            return Optional.empty();
        }
        NodePaths paths = config.paths();
        String server = config.apply().healthUrl();
        if (server.isEmpty()) {
            try {
                ApiServerManifest m = ApiServerManifest.parse(config.apply().manifest(), Files.readString(paths.resolve(config.apply().manifest())));
                String bind = m.flag("--bind-address").orElse("");
                String host = bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
                server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + m.securePort();
            } catch (IOException | InvalidInputException e) {
                return Optional.empty();
            }
        }
        List<String> connection = server.startsWith("https://") ? List.of("--server", server, "--tls-server-name", "kubernetes")
                : List.of("--server", server);
        return Optional.of(new ApiServerAuditMetrics(new Kubectl("kubectl", paths.resolve(config.setup().lease().kubeconfig()), connection,
                paths.resolve(config.ship().stateDir()))));
    }

    /** The kernel's host name (what kubeadm names the node after), without a DNS lookup. */
    private static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // Not Linux: the pid keeps identities of different machines apart well enough for a lease holder.
        }
        return "pid-" + ProcessHandle.current().pid();
    }
}
