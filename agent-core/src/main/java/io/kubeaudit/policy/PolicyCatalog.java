package io.kubeaudit.policy;

import io.kubeaudit.node.NodePaths;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds a policy by what the user wrote: a bundled name ({@code recommended}), a node path
 * ({@code /etc/kubernetes/my-policy.yaml}, read under the agent's root) or a path relative to the
 * current directory. Bundled policies are read from the classpath ({@code policies/NAME.yaml}),
 * so they work from the jar without the repository.
 */
public final class PolicyCatalog {

    /** The policies in {@code policies/}, mildest first. */
    private static final List<String> NAMES = List.of("minimal", "recommended", "cis", "forensic");
    /** Real policies are a few KB; refusing large files keeps a wrong path (a log, a device) from being read whole. */
    static final long MAX_POLICY_BYTES = 1024 * 1024;

    private PolicyCatalog() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /** A bundled policy by name. */
    public static PolicyDocument bundled(String name) throws InvalidInputException {
        if (!NAMES.contains(name)) {
            throw new InvalidInputException(new SourceLocation(name, 0, 0), "unknown policy \"" + name + "\""
                    + Suggestions.hint(name, NAMES) + ": the bundled policies are " + String.join(", ", NAMES)
                    + "; give your own file as a path (./my-policy.yaml or /etc/kubernetes/my-policy.yaml)");
        }
        String resource = "policies/" + name + ".yaml";
        try (InputStream in = PolicyCatalog.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled policy " + resource + " is missing from the classpath: the jar was"
                        + " built without the policies/ folder");
            }
            return new PolicyDocument(name, name + ".yaml", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled policy " + resource, e);
        }
    }

    /**
     * A bundled name (no "/" and no "."), an absolute node path (read under {@code paths}' root) or a
     * relative path on this machine. The document's file name is what the user wrote, so messages
     * name the file as they know it.
     */
    public static PolicyDocument resolve(String nameOrPath, NodePaths paths) throws InvalidInputException {
        if (nameOrPath.isBlank()) {
            throw new InvalidInputException(new SourceLocation("policy", 0, 0), "no policy given: name one of "
                    + String.join(", ", NAMES) + " or a file");
        }
        if (!nameOrPath.contains("/") && !nameOrPath.contains(".")) {
            return bundled(nameOrPath);
        }
        Path file = nameOrPath.startsWith("/") ? paths.resolve(nameOrPath) : Path.of(nameOrPath).toAbsolutePath();
        return new PolicyDocument(baseName(nameOrPath), nameOrPath, read(nameOrPath, file));
    }

    private static byte[] read(String shown, Path file) throws InvalidInputException {
        SourceLocation at = new SourceLocation(shown, 0, 0);
        if (!Files.exists(file)) {
            String bundledHint = NAMES.contains(baseName(shown)) ? "; for the bundled policy write just \"" + baseName(shown) + "\"" : "";
            throw new InvalidInputException(at, "policy file does not exist" + (shown.equals(file.toString()) ? "" : " (looked at "
                    + file + ")") + bundledHint);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(at, "not a regular file; give the policy file itself");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_POLICY_BYTES) {
                throw new InvalidInputException(at, "is " + size + " bytes; an audit policy is a few KB (limit "
                        + MAX_POLICY_BYTES + "), is this the right file?");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(at, "cannot read policy file: " + e.getMessage(), e);
        }
    }

    private static String baseName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
