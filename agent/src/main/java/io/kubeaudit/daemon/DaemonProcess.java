package io.kubeaudit.daemon;

import io.kubeaudit.config.InvalidInputException;
import io.kubeaudit.log.Log;
import io.kubeaudit.log.LogLineStream;
import java.nio.file.Path;
import java.time.InstantSource;
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
        InstantSource clock = InstantSource.system();
        ConfigSource source = new ConfigSource(configFile, explicit, rootOverride);
        ConfigSource.Loaded loaded = source.load();
        DaemonCounters counters = new DaemonCounters();
        SystemdNotifier notifier = SystemdNotifier.fromEnvironment(System.getenv(), ProcessHandle.current().pid(), log);
        ShipperPort shipping = new ShipperPort(loaded.config(), System.err, clock, log, counters);
        Daemon daemon = new Daemon(source, loaded, new NodeSetupPort(LogLineStream.to(log, "setup")), shipping, counters, notifier, log, clock);
        SignalRelay.install(daemon::post);
        return daemon.run();
    }
}
