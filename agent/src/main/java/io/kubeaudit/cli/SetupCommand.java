package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.config.Setting;
import io.kubeaudit.kube.SetupLeasePermit;
import io.kubeaudit.setup.SetupRun;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code setup}: turns auditing on (or brings it to the configured policy) through the safe transaction,
 * holding the cluster-wide setup lease while the API server restarts (see {@link LeaseOptions}), then, with
 * setup.kubeadmConfig: writeThrough, writes the same settings to kubeadm's ClusterConfiguration.
 */
final class SetupCommand implements Command {

    @Override
    public String name() {
        return "setup";
    }

    @Override
    public String summary() {
        return "turn on API-server auditing on this node: policy, manifest edit, backup, atomic swap, health wait, rollback";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(AgentConfig.AUDIT, AgentConfig.APPLY, AgentConfig.SETUP);
    }

    @Override
    public Options options() {
        return LeaseOptions.addTo(new Options()
                .addOption(Option.builder().longOpt("dry-run")
                        .desc("change nothing; print the manifest's unified diff and the policy's rules and levels before and after").build())
                .addOption(Option.builder().longOpt("diff-policy").desc("with --dry-run: the policy's whole unified diff instead of its summary").build())
                .addOption(Option.builder().longOpt("policy").hasArg().argName("NAME|FILE")
                        .desc("policy to install (a bundled name or a file); default: "
                                + AuditConfig.SETTINGS.nameOf(AuditConfig.POLICY) + " from the config").build()));
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws InterruptedException, UsageException {
        String policy = line.getOptionValue("policy");
        AgentConfig config = policy == null ? context.config() : context.config().withAudit(context.config().audit().withPolicy(policy));
        boolean dryRun = line.hasOption("dry-run");
        if (line.hasOption("diff-policy") && !dryRun) {
            throw new UsageException("--diff-policy goes with --dry-run");
        }
        SetupLeasePermit lease = LeaseOptions.permit(line, config, dryRun);
        SetupRun.Mode mode = !dryRun ? SetupRun.Mode.APPLY
                : line.hasOption("diff-policy") ? SetupRun.Mode.DRY_RUN_POLICY_DIFF : SetupRun.Mode.DRY_RUN;
        SetupRun.Result run = SetupRun.forConfig(config, context.progress(), lease).setup(mode);
        CommandResult.Builder result = SetupOutcomes.builder(run.node(), dryRun, lease);
        run.kubeadmConfig().ifPresent(k -> KubeadmConfigResults.add(result, k));
        return result.build();
    }
}
