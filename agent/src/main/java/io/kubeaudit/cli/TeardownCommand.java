package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Setting;
import io.kubeaudit.kube.SetupLeasePermit;
import io.kubeaudit.setup.SetupRun;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code teardown}: removes what setup added, through the same transaction and under the same lease; with
 * setup.kubeadmConfig: writeThrough, also what setup wrote to kubeadm's ClusterConfiguration.
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
    public List<Setting<?>> settings() {
        return List.of(AgentConfig.AUDIT, AgentConfig.APPLY, AgentConfig.SETUP);
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
        SetupRun.Result run = SetupRun.forConfig(context.config(), context.progress(), lease)
                .teardown(dryRun ? SetupRun.Mode.DRY_RUN : SetupRun.Mode.APPLY);
        CommandResult.Builder result = SetupOutcomes.builder(run.node(), dryRun, lease);
        run.kubeadmConfig().ifPresent(k -> KubeadmConfigResults.add(result, k));
        return result.build();
    }
}
