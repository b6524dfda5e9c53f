package io.kubeaudit.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

final class VersionCommand implements Command {

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print the agent's version";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) {
        return CommandResult.builder(name())
                .action("kube-audit-agent " + version())
                .detail("version", version())
                .detail("java", System.getProperty("java.version"))
                .build();
    }
}
