package io.kubeaudit.cli;

import io.kubeaudit.config.Setting;
import java.util.List;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One sub-command. It only parses and prints; the work happens in the packages it calls. */
interface Command {

    String name();

    /** One line for the command list. */
    String summary();

    /** Positional arguments, for the usage line ("" when none). */
    default String arguments() {
        return "";
    }

    /** Developer commands run but stay out of the command list. */
    default boolean hidden() {
        return false;
    }

    /** Whether the command needs the config (generated documentation does not, so a build never reads /etc). */
    default boolean readsConfig() {
        return true;
    }

    /** What most commands print: text for people, one JSON document for scripts. */
    Set<OutputMode> DEFAULT_OUTPUT_MODES = Set.of(OutputMode.TEXT, OutputMode.JSON);

    /** The {@code --output} modes it has. */
    default Set<OutputMode> outputModes() {
        return DEFAULT_OUTPUT_MODES;
    }

    /** Options of this command; the global ones (--config, --root, --output, --help) are added by {@link Main}. */
    Options options();

    /** The config file's settings this command reads (top-level settings of the table), listed by {@code --help}. */
    default List<Setting<?>> settings() {
        return List.of();
    }

    CommandResult run(CommandLine line, CommandContext context) throws Exception;
}
