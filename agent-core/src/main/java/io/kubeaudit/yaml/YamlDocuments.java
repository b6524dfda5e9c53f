package io.kubeaudit.yaml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/** Parses YAML into node trees that keep line and column, so every later error can point at its place. */
public final class YamlDocuments {

    private YamlDocuments() {
    }

    public static String read(Path file) throws InvalidInputException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(new SourceLocation(file.toString(), 0, 0), "cannot read: " + e.getMessage(), e);
        }
        return decode(file.toString(), bytes);
    }

    /**
     * The text of a YAML file, which must be UTF-8. Kubernetes' YAML reader (libyaml's, through
     * sigs.k8s.io/yaml) refuses anything else, and decoding it leniently would turn each stray byte
     * into U+FFFD, which an edit then writes back: the original bytes would be gone.
     */
    public static String decode(String fileName, byte[] bytes) throws InvalidInputException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = utf8.decode(in, out, true);
        if (r.isUnderflow()) {
            r = utf8.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new InvalidInputException(new SourceLocation(fileName, line, at - lineStart + 1), String.format(
                    "not UTF-8 (byte 0x%02x at offset %d); Kubernetes reads YAML only as UTF-8, and the agent edits text, so it"
                            + " would not give back these bytes: convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8) or remove"
                            + " the byte", bytes[at] & 0xff, at));
        }
        return out.flip().toString();
    }

    /** The single document of {@code text}; empty text, a second document or a key given twice is an error. */
    public static Node single(String fileName, String text) throws InvalidInputException {
        return single(fileName, text, new Resolver());
    }

    /** As {@link #single(String, String)}, with plain scalars typed by {@code resolver} instead of SnakeYAML's rules. */
    public static Node single(String fileName, String text, Resolver resolver) throws InvalidInputException {
        List<Node> docs = all(fileName, text, resolver);
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
        return all(fileName, text, new Resolver());
    }

    private static List<Node> all(String fileName, String text, Resolver resolver) throws InvalidInputException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(16 * 1024 * 1024);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, resolver);
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
