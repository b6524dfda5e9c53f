package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.config.Units;
import io.kubeaudit.kube.SetupLeasePermit;
import java.time.Duration;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code --no-lease} and {@code --lease-wait} of setup and teardown: whether and how long to wait for the cluster-wide lease. */
final class LeaseOptions {

    private static final String NO_LEASE = "no-lease";
    private static final String LEASE_WAIT = "lease-wait";

    private LeaseOptions() {
    }

    static Options addTo(Options options) {
        return options
                .addOption(Option.builder().longOpt(NO_LEASE)
                        .desc("restart this node's API server without the cluster-wide lease kube-system/kube-audit-agent-setup"
                                + " (a single control-plane node, or the API unreachable on purpose)").build())
                .addOption(Option.builder().longOpt(LEASE_WAIT).hasArg().argName("DURATION")
                        .desc("how long to wait while another node holds the lease (default "
                                + SetupConfig.Lease.SETTINGS.nameOf(SetupConfig.Lease.DURATION) + ")").build());
    }

    /** The lease a run with these options takes before it restarts the API server. */
    static SetupLeasePermit permit(CommandLine line, AgentConfig config, boolean dryRun) throws UsageException {
        if (line.hasOption(NO_LEASE) && line.hasOption(LEASE_WAIT)) {
            throw new UsageException("--no-lease and --lease-wait exclude each other");
        }
        Duration wait = config.setup().lease().duration();
        if (line.hasOption(LEASE_WAIT)) {
            wait = Units.parseDuration(line.getOptionValue(LEASE_WAIT));
            if (wait == null) {
                throw new UsageException("--lease-wait must be a duration like 90s or 10m, found \"" + line.getOptionValue(LEASE_WAIT) + "\"");
            }
        }
        if (dryRun) {
            return SetupLeasePermit.notUsed("not needed: a dry run restarts nothing");
        }
        if (line.hasOption(NO_LEASE)) {
            return SetupLeasePermit.notUsed("not used: --no-lease");
        }
        return SetupLeasePermit.forConfig(config, wait);
    }
}
