package io.kubeaudit.yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Parses YAML into node trees that keep line and column, so every later error can point at its place. */
public final class YamlDocuments {

    private YamlDocuments() {
    }

    public static String read(Path file) throws InvalidInputException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(new SourceLocation(file.toString(), 0, 0), "cannot read: " + e.getMessage(), e);
        }
    }

    /** The single document of {@code text}; empty text, a second document or a key given twice is an error. */
    public static Node single(String fileName, String text) throws InvalidInputException {
        List<Node> docs = all(fileName, text);
        if (docs.isEmpty()) {
            throw new InvalidInputException(new SourceLocation(fileName, 0, 0), "file is empty");
        }
        if (docs.size() > 1) {
            throw new InvalidInputException(SourceLocation.of(fileName, docs.get(1)),
                    "holds " + docs.size() + " YAML documents, expected one");
        }
        return docs.get(0);
    }

    public static List<Node> all(String fileName, String text) throws InvalidInputException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(16 * 1024 * 1024);
        Yaml yaml = new Yaml(options);
        List<Node> out = new ArrayList<>();
        try {
            for (Node n : yaml.composeAll(new java.io.StringReader(text))) {
                if (n != null) {
                    DuplicateKeys.refuse(fileName, n);
                    out.add(n);
                }
            }
        } catch (MarkedYAMLException e) {
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null) {
                problem = e.getContext() + ", " + problem;
            }
            throw new InvalidInputException(SourceLocation.of(fileName, e.getProblemMark()), "not valid YAML: " + problem, e);
        } catch (YAMLException e) {
            throw new InvalidInputException(new SourceLocation(fileName, 0, 0), "not valid YAML: " + e.getMessage(), e);
        }
        return out;
    }
}
