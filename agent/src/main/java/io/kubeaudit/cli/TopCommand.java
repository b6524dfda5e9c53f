package io.kubeaudit.cli;

import io.kubeaudit.time.WaitClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code top}: a live view of the running agent ({@code run} or {@code ship}) per destination, from its metrics
 * endpoint (metrics.listen), refreshed every second until interrupted; {@code --once} prints one view (two scrapes a
 * second apart, for the rates).
 */
final class TopCommand implements Command {

    private static final Duration REFRESH = Duration.ofSeconds(1);
    /** ANSI: cursor home, clear the screen. */
    private static final String CLEAR = "\033[H\033[2J";

    @Override
    public String name() {
        return "top";
    }

    @Override
    public String summary() {
        return "live view per destination (events/s, MB/s, lag, in-flight, retries, credentials, dead letters) from the agent's metrics";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("once").desc("print one view and exit (for scripts and tickets)").build());
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        String listen = context.config().metrics().listen();
        if (listen.isEmpty()) {
            return CommandResult.builder(name()).error("metrics.listen is empty in " + context.configFile()
                    + ": top reads the agent's metrics endpoint, so set metrics.listen (default 127.0.0.1:9880)").build();
        }
        URI endpoint = endpoint(listen);
        WaitClock clock = WaitClock.system();
        MetricsScrape before = scrape(endpoint, clock);
        boolean terminal = System.console() != null;
        while (true) {
            clock.sleep(REFRESH);
            MetricsScrape now = scrape(endpoint, clock);
            String view = TopView.render(endpoint.toString(), before, now);
            if (line.hasOption("once")) {
                return CommandResult.builder(name()).action(view.stripTrailing()).build();
            }
            context.out().print((terminal ? CLEAR : "\n") + view);
            context.out().flush();
            before = now;
        }
    }

    private static MetricsScrape scrape(URI endpoint, WaitClock clock) throws IOException {
        try {
            return MetricsScrape.fetch(endpoint, Duration.ofSeconds(5), clock.instant());
        } catch (IOException e) {
            throw new IOException("no agent answers at " + endpoint + " (" + e.getMessage()
                    + "): is it running (systemctl status kube-audit-agent), with this config's metrics.listen?", e);
        }
    }

    /** metrics.listen as a URL to ask: a wildcard address is asked on the loopback. */
    static URI endpoint(String listen) {
        int colon = listen.lastIndexOf(':');
        String host = listen.substring(0, colon);
        if (host.equals("0.0.0.0") || host.isEmpty()) {
            host = "127.0.0.1";
        } else if (host.equals("[::]") || host.equals("::")) {
            host = "[::1]";
        }
        return URI.create("http://" + host + ":" + listen.substring(colon + 1) + "/metrics");
    }
}
