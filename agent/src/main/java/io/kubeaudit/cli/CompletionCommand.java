package io.kubeaudit.cli;

import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code completion bash}: the bash completion script ({@code source <(kube-audit-agent completion bash)}). */
final class CompletionCommand implements Command {

    private final Supplier<List<Command>> commands;

    CompletionCommand(Supplier<List<Command>> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "completion";
    }

    @Override
    public String summary() {
        return "print the bash completion script (install.sh and the package install it)";
    }

    @Override
    public String arguments() {
        return "bash";
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
    public CommandResult run(CommandLine line, CommandContext context) throws UsageException {
        if (!line.getArgList().equals(List.of("bash"))) {
            throw new UsageException("completion takes one argument, the shell: bash (found " + line.getArgList() + ")");
        }
        return CommandResult.builder(name()).action(BashCompletion.render(commands.get()).stripTrailing()).build();
    }
}
