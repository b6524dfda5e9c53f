package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlDocuments;
import io.kubeaudit.yaml.YamlMapping;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code config.yaml} strictly into {@link AgentConfig} through the settings table
 * ({@link AgentConfig#SETTINGS}): unknown keys, wrong types and bad values are errors naming file, line
 * and column. Missing keys take their defaults.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * Loads {@code file}; when {@code file} is the default path and does not exist, the defaults apply
     * (a node needs no config file to start). An explicitly named file must exist.
     */
    public static AgentConfig load(Path file, boolean explicit) throws InvalidInputException {
        if (!Files.exists(file)) {
            if (explicit) {
                throw new InvalidInputException(new SourceLocation(file.toString(), 0, 0), "config file does not exist");
            }
            return AgentConfig.defaults();
        }
        return parse(file.toString(), YamlDocuments.read(file));
    }

    public static AgentConfig parse(String fileName, String text) throws InvalidInputException {
        if (YamlDocuments.all(fileName, text).isEmpty()) {
            return AgentConfig.defaults();
        }
        return AgentConfig.SETTINGS.read(YamlMapping.of(fileName, "", YamlDocuments.single(fileName, text)));
    }
}
