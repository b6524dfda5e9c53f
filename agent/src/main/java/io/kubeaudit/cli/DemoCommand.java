package io.kubeaudit.cli;

import io.kubeaudit.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code demo}: the real setup against a simulated node in a temp directory; the README's "run it". */
final class DemoCommand implements Command {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "build a simulated control-plane node in a temp dir (or --root) and run the real setup on it, step by step";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("quick").desc("skip the part that shows a refused policy being rolled back").build());
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        // The node lives in its own sandbox: --root names it, otherwise a fresh temp directory.
        Path root = line.hasOption("root") ? Path.of(context.config().root())
                : Files.createTempDirectory("kube-audit-agent-demo-").toAbsolutePath();
        List<String> problems = new Demo(context.progress()).run(root, context.config(), line.hasOption("quick"));
        CommandResult.Builder result = CommandResult.builder(name()).changed(true).detail("root", root.toString());
        if (problems.isEmpty()) {
            result.action("demo complete: setup applied, events flowing, second run a no-op"
                    + (line.hasOption("quick") ? "" : ", refused policy rolled back") + "; node files in " + root);
        }
        problems.forEach(result::error);
        return result.build();
    }
}
