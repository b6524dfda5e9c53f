package io.kubeaudit.cli;

import io.kubeaudit.apply.NodeSetup;
import io.kubeaudit.daemon.SetupLeasePermit;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code teardown}: removes what setup added, through the same transaction and under the same lease. */
final class TeardownCommand implements Command {

    @Override
    public String name() {
        return "teardown";
    }

    @Override
    public String summary() {
        return "remove the audit flags, mounts and annotation setup added (same backup, swap, health wait, rollback)";
    }

    @Override
    public Options options() {
        return LeaseOptions.addTo(new Options()
                .addOption(Option.builder().longOpt("dry-run").desc("change nothing; print what would change as a unified diff").build()));
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws InterruptedException, UsageException {
        boolean dryRun = line.hasOption("dry-run");
        SetupLeasePermit lease = LeaseOptions.permit(line, context.config(), dryRun);
        return SetupOutcomes.toResult(NodeSetup.forConfig(context.config(), context.progress()).withRestartPermit(lease).teardown(dryRun),
                dryRun, lease);
    }
}
