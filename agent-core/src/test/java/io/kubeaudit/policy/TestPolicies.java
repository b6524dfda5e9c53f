package io.kubeaudit.policy;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Policies for tests: inline YAML, and the corpus copies under src/test/resources/corpus. */
final class TestPolicies {

    static final String FILE = "policy.yaml";
    static final Path CORPUS = Path.of("../testdata/corpus");
    static final String HEADER = "apiVersion: audit.k8s.io/v1\nkind: Policy\n";

    private TestPolicies() {
    }

    static AuditPolicy parse(String yaml) throws InvalidInputException {
        return PolicyValidator.validate(FILE, yaml);
    }

    /** A policy with the standard header and the given rules block. */
    static AuditPolicy rules(String rulesYaml) throws InvalidInputException {
        return parse(HEADER + "omitStages: [RequestReceived]\nrules:\n" + rulesYaml);
    }

    static List<String> errors(String yaml) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> parse(yaml));
        return e.errors().stream().map(PolicyError::toString).toList();
    }

    static AuditPolicy corpus(String relative) throws InvalidInputException {
        Path file = CORPUS.resolve(relative);
        return PolicyValidator.validate(file.getFileName().toString(), read(file));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Path> yamlFiles(String folder) {
        try (Stream<Path> files = Files.list(CORPUS.resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
