package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Setting;
import io.kubeaudit.daemon.DaemonProcess;
import io.kubeaudit.log.Log;
import io.kubeaudit.ship.Shipper;
import java.util.List;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code run}: the daemon systemd starts. Applies the audit setup, ships, reconciles drift; SIGHUP
 * reloads the config, SIGTERM stops in order. Logs go to stderr (journald), one line per event.
 */
final class RunCommand implements Command {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the daemon: apply the audit setup, ship events, reconcile drift (SIGHUP reloads, SIGTERM stops)";
    }

    @Override
    public List<Setting<?>> settings() {
        return AgentConfig.SETTINGS.settings();
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("validate")
                .desc("only load and check the config, then exit (0: it is valid); for config management").build());
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        CommandResult.Builder result = CommandResult.builder(name());
        if (line.hasOption("validate")) {
            // The config was loaded strictly before any command runs; what remains is what only the files tell.
            try {
                Shipper.check(context.config(), Log.stderr());
            } catch (Shipper.ShipSetupException e) {
                return result.error(e.getMessage()).build();
            }
            return result.action("config " + context.configFile() + " is valid").build();
        }
        Optional<String> root = line.hasOption("root") ? Optional.of(context.config().root()) : Optional.empty();
        int exit = DaemonProcess.run(context.configFile(), line.hasOption("config"), root);
        if (exit != 0) {
            return result.error("the daemon stopped because of a failure (exit " + exit + "); its log says why (journalctl -u kube-audit-agent)").build();
        }
        return result.action("stopped").build();
    }
}
