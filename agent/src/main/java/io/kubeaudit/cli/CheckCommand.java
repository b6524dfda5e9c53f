package io.kubeaudit.cli;

import io.kubeaudit.apply.observe.RunningApiServers;
import io.kubeaudit.check.AuditBenchmark;
import io.kubeaudit.check.CheckItem;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Setting;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code check}: the CIS benchmark's audit items on the running kube-apiserver, its manifest and its policy; exit 1 on a FAIL. */
final class CheckCommand implements Command {

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "check the CIS benchmark's audit items on the running kube-apiserver, the manifest and the policy (exit 1 on FAIL)";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(AgentConfig.APPLY);
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        if (!line.getArgList().isEmpty()) {
            throw new UsageException("check takes no arguments");
        }
        AgentConfig config = context.config();
        List<CheckItem> items = AuditBenchmark.check(config, RunningApiServers.system(config.paths().root()).list("--audit-"));
        CommandResult.Builder result = CommandResult.builder(name()).detail("benchmark", AuditBenchmark.VERSION).detail("items", items);
        result.action(AuditBenchmark.VERSION + ", audit items:");
        for (CheckItem item : items) {
            result.action("[" + item.status() + "] " + item.id() + " " + item.title() + "\n       " + item.evidence()
                    + (item.fix().isEmpty() ? "" : "\n       fix: " + item.fix()));
        }
        long failed = items.stream().filter(i -> i.status() == CheckItem.Status.FAIL).count();
        long warned = items.stream().filter(i -> i.status() == CheckItem.Status.WARN).count();
        result.action((items.size() - failed - warned) + " PASS, " + warned + " WARN, " + failed + " FAIL");
        if (failed > 0) {
            result.error(failed + " audit item" + (failed == 1 ? "" : "s") + " failed");
        }
        return result.build();
    }
}
