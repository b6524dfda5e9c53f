package io.kubeaudit.cli;

import io.kubeaudit.build.BuildInfo;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code version} (and {@code --version}): version, git revision and build date (the commit's). */
final class VersionCommand implements Command {

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the agent's version, git revision and build date";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) {
        BuildInfo build = BuildInfo.current();
        return CommandResult.builder(name())
                .action("kube-audit-agent " + build.version() + " (revision " + build.describedRevision() + ", built " + build.date()
                        + ", Java " + System.getProperty("java.version") + ")")
                .detail("version", build.version())
                .detail("revision", build.revision())
                .detail("dirty", build.dirty())
                .detail("buildDate", build.date())
                .detail("java", System.getProperty("java.version"))
                .build();
    }
}
