package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every command gets: the loaded config (root already applied), where it came from, and where
 * to print. Progress lines go to {@code progress}: stderr in JSON mode so stdout holds one JSON document.
 *
 * {@code err} is stderr, for what a streaming command reports as it goes.
 *
 * @param reload loads the config again the same way (file, --root), for a command that reloads on SIGHUP
 */
record CommandContext(AgentConfig config, Path configFile, OutputMode output, PrintStream out, PrintStream progress,
                      PrintStream err, ConfigReload reload) {

    /** Loads the config as the command line said. */
    @FunctionalInterface
    interface ConfigReload {
        AgentConfig reload() throws InvalidInputException;
    }
}
