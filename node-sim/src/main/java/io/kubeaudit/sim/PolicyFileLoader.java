package io.kubeaudit.sim;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.AuditStage;
import io.kubeaudit.policy.GroupResources;
import io.kubeaudit.policy.PolicyChecker;
import io.kubeaudit.policy.PolicyRule;
import io.kubeaudit.yaml.SourceLocation;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads {@code --audit-policy-file} the way kube-apiserver does (k8s.io/apiserver audit/policy/reader.go),
 * including its leniency: a strict decode first, and when that fails only because of unknown or duplicate
 * fields, a warning and a lenient decode that drops them. That is deliberately NOT the agent's own strict
 * validator: the simulator must accept what a real server accepts, typos included (failure mode 7), and
 * refuse what it refuses (missing file, bad YAML, unregistered apiVersion, invalid rules, zero rules).
 */
final class PolicyFileLoader {

    /** A policy the server will use, and the warnings it logged while loading it. */
    record Loaded(AuditPolicy policy, List<String> warnings) {
    }

    /** A rule as decoded, before the server's validation: level and stages are still strings. */
    private record RawRule(Node node, String level, List<String> users, List<String> userGroups, List<String> verbs,
                           List<RawGroup> resources, List<String> namespaces, List<String> nonResourceURLs,
                           List<String> omitStages) {
    }

    private record RawGroup(Node node, String group, List<String> resources, List<String> resourceNames) {
    }

    private static final String SCHEME = "pkg/runtime/scheme.go:100";
    private static final Set<String> STAGES = Set.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic");
    private static final Set<String> OBJECT_META = Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final KubeVersion server;
    private final String shownPath;
    private final List<String> strictErrors = new ArrayList<>();

    private PolicyFileLoader(KubeVersion server, String shownPath) {
        this.server = server;
        this.shownPath = shownPath;
    }

    /**
     * @param shownPath the path as the server was given it (the container path), used in messages
     * @throws StartupException with the real server's message, starting {@code loading audit policy file: }
     */
    static Loaded load(String shownPath, Path file, KubeVersion server) throws StartupException {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StartupException("loading audit policy file: failed to read file path " + GoStrings.quote(shownPath)
                    + ": " + goError(shownPath, file, e), e);
        }
        try {
            return new PolicyFileLoader(server, shownPath).decode(text);
        } catch (PolicyError e) {
            throw new StartupException("loading audit policy file: " + e.getMessage() + ": from file " + shownPath);
        }
    }

    private static String goError(String shown, Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "open " + shown + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "open " + shown + ": permission denied";
        }
        if (Files.isDirectory(file)) {
            return "read " + shown + ": is a directory";
        }
        return "open " + shown + ": " + e.getMessage();
    }

    private static final class PolicyError extends Exception {
        PolicyError(String message) {
            super(message);
        }
    }

    private Loaded decode(String text) throws PolicyError {
        Node root = firstDocument(text);
        if (!(root instanceof MappingNode map)) {
            throw new PolicyError("failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal "
                    + jsonType(root) + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
                    + "Kind string \"json:\\\"kind,omitempty\\\"\" }");
        }
        String kind = scalar(map, "kind").orElse("");
        String apiVersion = scalar(map, "apiVersion").orElse("");
        checkRegistered(kind, apiVersion);

        List<RawRule> rules = new ArrayList<>();
        List<String> omitStages = new ArrayList<>();
        for (NodeTuple t : entries(map, "")) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Node value = t.getValueNode();
            switch (key) {
                case "apiVersion", "kind" -> expect(value, "string", "Policy", key, "string");
                case "metadata" -> metadata(value);
                case "rules" -> rules.addAll(rules(value));
                case "omitStages" -> omitStages.addAll(strings(value, "Policy", "omitStages", "[]v1.Stage"));
                case "omitManagedFields" -> expect(value, "bool", "Policy", key, "bool");
                default -> strictErrors.add("unknown field " + GoStrings.quote(key));
            }
        }
        List<String> warnings = new ArrayList<>();
        if (!strictErrors.isEmpty()) {
            warnings.add("Audit policy contains errors, falling back to lenient decoding: strict decoding error: "
                    + String.join(", ", strictErrors));
        }
        List<String> invalid = validate(rules, omitStages);
        if (!invalid.isEmpty()) {
            throw new PolicyError(AuditLogOptions.aggregate(invalid));
        }
        if (rules.isEmpty()) {
            throw new PolicyError("loaded illegal policy with 0 rules");
        }
        return new Loaded(toPolicy(map, rules, omitStages), warnings);
    }

    private static Node firstDocument(String text) throws PolicyError {
        LoaderOptions options = new LoaderOptions();
        // Duplicates are a strict-decoding error for the server, not a parse error: detect them ourselves.
        options.setAllowDuplicateKeys(true);
        try {
            for (Node n : new Yaml(options).composeAll(new StringReader(text))) {
                if (n != null) {
                    return n;
                }
            }
            return null;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PolicyError("failed decoding: yaml: line " + line + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new PolicyError("failed decoding: yaml: " + e.getMessage());
        }
    }

    /** The universal decoder's view of apiVersion/kind, defaulted from the internal Policy type as the server does. */
    private void checkRegistered(String kind, String apiVersion) throws PolicyError {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        if (kind.isEmpty()) {
            kind = "Policy";
        }
        if (version.isEmpty() && group.isEmpty()) {
            throw new PolicyError("unknown group version field audit.k8s.io/__internal, Kind=" + kind + " in policy");
        }
        String gv = group.isEmpty() ? version : group + "/" + version;
        if (!group.equals("audit.k8s.io") || !registeredVersions().contains(version)
                || !Set.of("Policy", "PolicyList", "Event", "EventList").contains(kind)) {
            throw new PolicyError("failed decoding: no kind " + GoStrings.quote(kind) + " is registered for version "
                    + GoStrings.quote(gv) + " in scheme " + GoStrings.quote(SCHEME));
        }
        if (!kind.equals("Policy")) {
            throw new PolicyError("failed decoding: converting (" + version + "." + kind + ") to (audit.Policy): unknown conversion");
        }
    }

    /** audit.k8s.io/v1 exists since 1.12; v1alpha1 and v1beta1 were removed in 1.24 (kubernetes PR #108092). */
    private List<String> registeredVersions() {
        List<String> versions = new ArrayList<>();
        if (server.atLeast(1, 12)) {
            versions.add("v1");
        }
        if (!server.atLeast(1, 24)) {
            versions.add("v1beta1");
            versions.add("v1alpha1");
        }
        return versions;
    }

    private void metadata(Node value) throws PolicyError {
        if (isNull(value)) {
            return;
        }
        if (!(value instanceof MappingNode m)) {
            throw typeError(value, "Policy", "metadata", "v1.ObjectMeta");
        }
        for (NodeTuple t : entries(m, "metadata.")) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (!OBJECT_META.contains(key)) {
                strictErrors.add("unknown field " + GoStrings.quote("metadata." + key));
            }
        }
    }

    private List<RawRule> rules(Node value) throws PolicyError {
        List<RawRule> out = new ArrayList<>();
        if (isNull(value)) {
            return out;
        }
        if (!(value instanceof SequenceNode seq)) {
            throw typeError(value, "Policy", "rules", "[]v1.PolicyRule");
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            out.add(rule(seq.getValue().get(i), i));
        }
        return out;
    }

    private RawRule rule(Node node, int index) throws PolicyError {
        if (!(node instanceof MappingNode m)) {
            throw typeError(node, "Policy", "rules", "v1.PolicyRule");
        }
        String level = "";
        List<String> users = List.of();
        List<String> groups = List.of();
        List<String> verbs = List.of();
        List<String> namespaces = List.of();
        List<String> urls = List.of();
        List<String> omit = List.of();
        List<RawGroup> resources = new ArrayList<>();
        for (NodeTuple t : entries(m, "rules[" + index + "].")) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            Node v = t.getValueNode();
            switch (key) {
                case "level" -> level = expect(v, "string", "PolicyRule", "rules.level", "v1.Level");
                case "users" -> users = strings(v, "PolicyRule", "rules.users", "[]string");
                case "userGroups" -> groups = strings(v, "PolicyRule", "rules.userGroups", "[]string");
                case "verbs" -> verbs = strings(v, "PolicyRule", "rules.verbs", "[]string");
                case "namespaces" -> namespaces = strings(v, "PolicyRule", "rules.namespaces", "[]string");
                case "nonResourceURLs" -> urls = strings(v, "PolicyRule", "rules.nonResourceURLs", "[]string");
                case "omitStages" -> omit = strings(v, "PolicyRule", "rules.omitStages", "[]v1.Stage");
                case "omitManagedFields" -> expect(v, "bool", "PolicyRule", "rules.omitManagedFields", "bool");
                case "resources" -> resources.addAll(groupResources(v, index));
                default -> strictErrors.add("unknown field " + GoStrings.quote("rules[" + index + "]." + key));
            }
        }
        return new RawRule(node, level, users, groups, verbs, resources, namespaces, urls, omit);
    }

    private List<RawGroup> groupResources(Node value, int rule) throws PolicyError {
        List<RawGroup> out = new ArrayList<>();
        if (isNull(value)) {
            return out;
        }
        if (!(value instanceof SequenceNode seq)) {
            throw typeError(value, "PolicyRule", "rules.resources", "[]v1.GroupResources");
        }
        for (int j = 0; j < seq.getValue().size(); j++) {
            Node n = seq.getValue().get(j);
            if (!(n instanceof MappingNode m)) {
                throw typeError(n, "PolicyRule", "rules.resources", "v1.GroupResources");
            }
            String group = "";
            List<String> resources = List.of();
            List<String> names = List.of();
            for (NodeTuple t : entries(m, "rules[" + rule + "].resources[" + j + "].")) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                switch (key) {
                    case "group" -> group = expect(t.getValueNode(), "string", "GroupResources", "rules.resources.group", "string");
                    case "resources" -> resources = strings(t.getValueNode(), "GroupResources", "rules.resources.resources", "[]string");
                    case "resourceNames" -> names = strings(t.getValueNode(), "GroupResources", "rules.resources.resourceNames", "[]string");
                    default -> strictErrors.add("unknown field " + GoStrings.quote("rules[" + rule + "].resources[" + j + "]." + key));
                }
            }
            out.add(new RawGroup(n, group, resources, names));
        }
        return out;
    }

    /** The mapping's entries; a repeated key is a strict error and, as in the lenient decode, the last value wins. */
    private List<NodeTuple> entries(MappingNode map, String prefix) throws PolicyError {
        List<NodeTuple> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw new PolicyError("failed decoding: yaml: invalid map key: " + jsonType(t.getKeyNode()));
            }
            if (!seen.add(key.getValue())) {
                strictErrors.add("duplicate field " + GoStrings.quote(prefix + key.getValue()));
                out.removeIf(o -> ((ScalarNode) o.getKeyNode()).getValue().equals(key.getValue()));
            }
            out.add(t);
        }
        return out;
    }

    private static Optional<String> scalar(MappingNode map, String key) {
        String found = null;
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key) && t.getValueNode() instanceof ScalarNode v
                    && !isNull(v)) {
                found = v.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    private static String expect(Node value, String json, String struct, String field, String goType) throws PolicyError {
        if (isNull(value)) {
            return "";
        }
        if (!jsonType(value).equals(json)) {
            throw typeError(value, struct, field, goType);
        }
        return ((ScalarNode) value).getValue();
    }

    private static List<String> strings(Node value, String struct, String field, String goType) throws PolicyError {
        if (isNull(value)) {
            return List.of();
        }
        if (!(value instanceof SequenceNode seq)) {
            throw typeError(value, struct, field, goType);
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            out.add(expect(item, "string", struct, field, "string"));
        }
        return out;
    }

    private static PolicyError typeError(Node value, String struct, String field, String goType) {
        return new PolicyError("failed decoding: json: cannot unmarshal " + jsonType(value) + " into Go struct field "
                + struct + "." + field + " of type " + goType);
    }

    private static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode && n.getTag().equals(Tag.NULL));
    }

    /** The JSON type this YAML node becomes after the server's YAML-to-JSON conversion. */
    private static String jsonType(Node n) {
        if (n == null || isNull(n)) {
            return "null";
        }
        if (n instanceof MappingNode) {
            return "object";
        }
        if (n instanceof SequenceNode) {
            return "array";
        }
        Tag tag = n.getTag();
        if (tag.equals(Tag.BOOL)) {
            return "bool";
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "number";
        }
        return "string";
    }

    /** validation.ValidatePolicy, with its field paths and wording. */
    private static List<String> validate(List<RawRule> rules, List<String> omitStages) {
        List<String> errors = new ArrayList<>();
        stages(omitStages, "omitStages", errors);
        for (int i = 0; i < rules.size(); i++) {
            RawRule r = rules.get(i);
            String p = "rules[" + i + "]";
            if (r.level().isEmpty()) {
                errors.add(p + ".level: Required value");
            } else if (!List.of("None", "Metadata", "Request", "RequestResponse").contains(r.level())) {
                errors.add(p + ".level: Unsupported value: " + GoStrings.quote(r.level())
                        + ": supported values: \"Metadata\", \"None\", \"Request\", \"RequestResponse\"");
            }
            for (int j = 0; j < r.nonResourceURLs().size(); j++) {
                String url = r.nonResourceURLs().get(j);
                if (url.equals("*")) {
                    continue;
                }
                if (!url.startsWith("/")) {
                    errors.add(p + ".nonResourceURLs[" + j + "]: Invalid value: " + GoStrings.quote(url)
                            + ": non-resource URL rules must begin with a '/' character");
                }
                if (!url.isEmpty() && url.substring(0, url.length() - 1).contains("*")) {
                    errors.add(p + ".nonResourceURLs[" + j + "]: Invalid value: " + GoStrings.quote(url)
                            + ": non-resource URL wildcards '*' must be the final character of the rule");
                }
            }
            for (RawGroup gr : r.resources()) {
                if (!gr.group().isEmpty() && (gr.group().length() > 253 || !DNS1123_SUBDOMAIN.matcher(gr.group()).matches())) {
                    errors.add(p + ".resources.group: Invalid value: " + GoStrings.quote(gr.group())
                            + ": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                            + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                            + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
                }
                if (!gr.resourceNames().isEmpty() && gr.resources().isEmpty()) {
                    errors.add(p + ".resources.resourceNames: Invalid value: " + goStrings(gr.resourceNames())
                            + ": using resourceNames requires at least one resource");
                }
            }
            stages(r.omitStages(), p + ".omitStages", errors);
            if (!r.nonResourceURLs().isEmpty() && (!r.resources().isEmpty() || !r.namespaces().isEmpty())) {
                errors.add(p + ".nonResourceURLs: Invalid value: " + goStrings(r.nonResourceURLs())
                        + ": rules cannot apply to both regular resources and non-resource URLs");
            }
        }
        return errors;
    }

    /** The validated policy in the agent's model, so the simulator decides levels with {@link PolicyChecker}'s rules. */
    private AuditPolicy toPolicy(MappingNode root, List<RawRule> rules, List<String> omitStages) {
        List<PolicyRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            RawRule r = rules.get(i);
            List<GroupResources> groups = r.resources().stream().map(g -> new GroupResources(g.group(), g.resources(),
                    g.resourceNames(), SourceLocation.of(shownPath, g.node()))).toList();
            out.add(new PolicyRule(i, SourceLocation.of(shownPath, r.node()), AuditLevel.parse(r.level()).orElseThrow(),
                    r.users(), r.userGroups(), r.verbs(), groups, r.namespaces(), r.nonResourceURLs(), stageSet(r.omitStages()),
                    Optional.empty()));
        }
        return new AuditPolicy(shownPath, SourceLocation.of(shownPath, root), out, stageSet(omitStages), Optional.empty());
    }

    private static Set<AuditStage> stageSet(List<String> names) {
        return names.stream().map(n -> AuditStage.parse(n).orElseThrow()).collect(Collectors.toSet());
    }

    private static void stages(List<String> stages, String path, List<String> errors) {
        for (int i = 0; i < stages.size(); i++) {
            if (!STAGES.contains(stages.get(i))) {
                errors.add(path + "[" + i + "]: Unsupported value: " + GoStrings.quote(stages.get(i))
                        + ": supported values: \"RequestReceived\", \"ResponseStarted\", \"ResponseComplete\", \"Panic\"");
            }
        }
    }

    private static String goStrings(List<String> values) {
        return "[]string{" + String.join(", ", values.stream().map(GoStrings::quote).toList()) + "}";
    }
}
