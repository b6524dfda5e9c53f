package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.kube.Kubectl;
import io.kubeaudit.kube.SetupLeasePermit;
import io.kubeaudit.log.Log;
import io.kubeaudit.log.LogLineStream;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.setup.SetupRun;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import io.kubeaudit.time.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Wires the daemon to the real node: the setup transaction, the shipper, systemd and the process's signals. */
public final class DaemonProcess {

    /**
     * How long a reconcile waits while another node holds the setup Lease: not at all. The pass reports
     * WAITING_FOR_LEASE and the next one (setup.reconcileInterval, or a file change) asks again, so the
     * setup worker never sits in a wait that a SIGTERM would have to outlast.
     */
    static final Duration LEASE_WAIT = Duration.ZERO;

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
        PrintStream progress = LogLineStream.to(log, "setup");
        Function<AgentConfig, SetupRun> setupRuns = c -> SetupRun.forConfig(c, progress, SetupLeasePermit.forConfig(c, LEASE_WAIT));
        Daemon daemon = new Daemon(source, loaded, setupRuns, c -> auditMetrics(c, log), shipping, counters, notifier, log, clock);
        if (SignalRelay.install(daemon::post)) {
            log.warn("daemon", HangupSignal.ignoredAtStartWarning());
        }
        return daemon.run();
    }

    /**
     * The local API server's audit counters: kubectl with setup.lease.kubeconfig's credentials, pointed at
     * this node's server (apply.healthUrl, else the secure port from the manifest) rather than the cluster
     * endpoint, whose answer could come from another node. kubeadm's serving certificate names "kubernetes".
     */
    static Optional<ApiServerAuditMetrics> auditMetrics(AgentConfig config, Log log) {
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
                log.warnLimited("daemon/crosscheck", "cannot tell this node's API server from the manifest; the audit counters are"
                        + " not compared (set apply.healthUrl)", config.apply().manifest(), "error", e);
                return Optional.empty();
            }
        }
        List<String> connection = server.startsWith("https://") ? List.of("--server", server, "--tls-server-name", "kubernetes")
                : List.of("--server", server);
        return Optional.of(new ApiServerAuditMetrics(new Kubectl("kubectl", paths.resolve(config.setup().lease().kubeconfig()), connection,
                paths.resolve(config.ship().stateDir()))));
    }
}
