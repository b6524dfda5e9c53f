package io.kubeaudit.cli;

import io.kubeaudit.apply.NodeSetup;
import io.kubeaudit.apply.SetupOutcome;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code teardown}: removes what setup added, through the same transaction; with setup.kubeadmConfig:
 * writeThrough, also what setup wrote to kubeadm's ClusterConfiguration.
 */
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
        return new Options()
                .addOption(Option.builder().longOpt("dry-run").desc("change nothing; print what would change as a unified diff").build());
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws InterruptedException {
        boolean dryRun = line.hasOption("dry-run");
        SetupOutcome outcome = NodeSetup.forConfig(context.config(), context.progress()).teardown(dryRun);
        CommandResult.Builder result = SetupOutcomes.builder(outcome, dryRun);
        KubeadmConfigResults.add(result, context.config(), outcome, w -> w.disable(dryRun));
        return result.build();
    }
}
