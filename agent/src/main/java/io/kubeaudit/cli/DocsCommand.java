package io.kubeaudit.cli;

import io.kubeaudit.build.BuildInfo;
import io.kubeaudit.node.AtomicFileWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code docs DIR}: writes the bash completion ({@value #COMPLETION}) and the man page ({@value #MAN_PAGE}) into DIR,
 * both from the CLI's own help, in one run: the build packs them, install.sh installs them.
 */
final class DocsCommand implements Command {

    static final String COMPLETION = "kube-audit-agent.bash";
    static final String MAN_PAGE = "kube-audit-agent.1";

    private final Supplier<List<Command>> commands;

    DocsCommand(Supplier<List<Command>> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "docs";
    }

    @Override
    public String summary() {
        return "write the bash completion and the man page into DIR";
    }

    @Override
    public String arguments() {
        return "DIR";
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
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        if (line.getArgList().size() != 1) {
            throw new UsageException("docs takes one argument, the directory to write into (found " + line.getArgList() + ")");
        }
        Path dir = Files.createDirectories(Path.of(line.getArgList().get(0)));
        var mode = PosixFilePermissions.fromString("rw-r--r--");
        AtomicFileWriter.write(dir.resolve(COMPLETION), BashCompletion.render(commands.get()).getBytes(StandardCharsets.UTF_8), mode);
        AtomicFileWriter.write(dir.resolve(MAN_PAGE), ManPage.render(commands.get(), BuildInfo.current()).getBytes(StandardCharsets.UTF_8), mode);
        return CommandResult.builder(name()).action("wrote " + dir.resolve(COMPLETION) + " and " + dir.resolve(MAN_PAGE)).build();
    }
}
