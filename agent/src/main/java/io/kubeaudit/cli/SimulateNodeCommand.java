package io.kubeaudit.cli;

import io.kubeaudit.node.NodePaths;
import io.kubeaudit.sim.KubeletSettings;
import io.kubeaudit.sim.SimulatedNode;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * Developer command: lays out a simulated kubeadm node under {@code --root} and runs it in the foreground
 * (kubelet emulator in this process, kube-apiserver as a child) until SIGTERM or Ctrl-C, so setup,
 * teardown and kubectl can be tried against it from another terminal.
 */
final class SimulateNodeCommand implements Command {

    @Override
    public String name() {
        return "simulate-node";
    }

    @Override
    public String summary() {
        return "run a simulated control-plane node under --root until stopped (developer tool)";
    }

    @Override
    public boolean hidden() {
        return true;
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("events-per-second").hasArg().argName("N")
                .desc("background API requests the simulated server audits per second (default 0)").build());
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        NodePaths paths = context.config().paths();
        if (!paths.isSandboxed()) {
            throw new UsageException("simulate-node needs --root DIR: it lays out /etc/kubernetes and /var/log there");
        }
        int rate;
        try {
            rate = Integer.parseInt(line.getOptionValue("events-per-second", "0"));
        } catch (NumberFormatException e) {
            throw new UsageException("--events-per-second must be a number, found \"" + line.getOptionValue("events-per-second") + "\"");
        }
        Path root = paths.root();
        try (SimulatedNode node = SimulatedNode.create(root, KubeletSettings.fast().withBackgroundEventsPerSecond(rate))) {
            Thread stopOnSignal = new Thread(node::close, "simulate-node-stop");
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            node.start();
            context.progress().println("[simulate-node] kube-apiserver " + node.apiServerUrl() + " is ready (pod "
                    + node.kubelet().apiServer().uid() + ")");
            context.progress().println("[simulate-node] kubectl --kubeconfig " + node.adminKubeconfig() + " get nodes");
            context.progress().println("[simulate-node] kubelet journal: " + node.kubelet().journal() + "; pod logs: "
                    + paths.resolve("/var/log/pods"));
            context.progress().println("[simulate-node] running until SIGTERM or Ctrl-C");
            context.progress().flush();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
        }
        return CommandResult.builder(name()).action("simulated node under " + root + " stopped").build();
    }
}
