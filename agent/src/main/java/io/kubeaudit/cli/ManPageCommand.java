package io.kubeaudit.cli;

import io.kubeaudit.build.BuildInfo;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code man}: the man page in roff (the build writes it for the package; {@code man -l <(kube-audit-agent man)} reads it). */
final class ManPageCommand implements Command {

    private final Supplier<List<Command>> commands;

    ManPageCommand(Supplier<List<Command>> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "man";
    }

    @Override
    public String summary() {
        return "print the man page (roff)";
    }

    @Override
    public boolean hidden() {
        return true;
    }

    @Override
    public boolean readsConfig() {
        return false;
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) {
        return CommandResult.builder(name()).action(ManPage.render(commands.get(), BuildInfo.current()).stripTrailing()).build();
    }
}
