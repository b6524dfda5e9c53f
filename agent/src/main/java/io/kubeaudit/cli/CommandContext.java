package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every command gets: the loaded config (root already applied), where it came from, and where
 * to print. Progress lines go to {@code progress}: stderr in JSON mode so stdout holds one JSON document.
 */
record CommandContext(AgentConfig config, Path configFile, OutputMode output, PrintStream out, PrintStream progress) {
}
