package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.node.KubeVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads {@code --audit-policy-file} the way kube-apiserver of the emulated version does (k8s.io/apiserver
 * audit/policy/reader.go and the apimachinery decoder under it): YAML to JSON through go-yaml v2's rules
 * ({@link GoYaml}, JSON files as they are), apiVersion and kind found case-insensitively, the JSON decoded
 * into the versioned Policy with that version's decoder ({@link PolicyJsonDecoder}), then ValidatePolicy.
 * Including its leniency: from 1.26 a strict decode first, and when that fails only because of unknown or
 * duplicate fields, a warning and the lenient result; before 1.26 those fields are dropped without a word.
 * That is deliberately NOT the agent's own strict validator, and shares no code with it: the simulator
 * must accept what a real server accepts, typos included, and refuse what it refuses, so the two disagree
 * when either is wrong.
 */
final class PolicyFileLoader {

    /** A policy the server will use, and the warnings it logged while loading it. */
    record Loaded(ServerPolicy policy, List<String> warnings) {
    }

    private static final String SCHEME = "pkg/runtime/scheme.go:100";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STAGES = Set.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final ApiServerBuild build;

    private PolicyFileLoader(ApiServerBuild build) {
        this.build = build;
    }

    /**
     * @param shownPath the path as the server was given it (the container path), used in messages
     * @throws StartupException with the real server's message, starting {@code loading audit policy file: }
     */
    static Loaded load(String shownPath, Path file, KubeVersion server) throws StartupException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new StartupException("loading audit policy file: failed to read file path " + GoStrings.quote(shownPath)
                    + ": " + goError(shownPath, file, e), e);
        }
        try {
            return new PolicyFileLoader(ApiServerBuild.of(server)).decode(data);
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

    private Loaded decode(byte[] data) throws PolicyError {
        List<String> strictErrors = new ArrayList<>();
        byte[] json = toJson(data, strictErrors);
        String[] gvk = interpret(json);
        String version = checkRegistered(gvk[0], gvk[1]);
        List<String> warnings = new ArrayList<>();
        PolicyJsonDecoder.Decoded decoded;
        try {
            decoded = PolicyJsonDecoder.decode(json, build, version);
        } catch (PolicyJsonDecoder.DecodeError e) {
            throw new PolicyError("failed decoding: " + e.getMessage());
        }
        strictErrors.addAll(decoded.strictErrors());
        if (build.strictFirst() && !strictErrors.isEmpty()) {
            warnings.add("Audit policy contains errors, falling back to lenient decoding: strict decoding error: "
                    + String.join(", ", strictErrors));
        }
        if (build.deprecationWarning() && !version.equals("v1")) {
            warnings.add("\"audit.k8s.io/" + version + "\" is deprecated and will be removed in a future release, use"
                    + " \"audit.k8s.io/v1\" instead");
        }
        PolicyJsonDecoder.RawPolicy raw = decoded.policy();
        List<String> invalid = validate(raw.rules(), raw.omitStages(), build.groupWildcard());
        if (!invalid.isEmpty()) {
            throw new PolicyError(AuditLogOptions.aggregate(invalid));
        }
        if (raw.rules().isEmpty()) {
            throw new PolicyError("loaded illegal policy with 0 rules");
        }
        return new Loaded(toPolicy(raw), warnings);
    }

    /**
     * The universal decoder's recognizer: a document starting with "{" goes to the JSON serializer as it is,
     * anything else through YAMLToJSON. The strict pass (1.26+) converts again with UnmarshalStrict, which
     * reports repeated keys.
     */
    private byte[] toJson(byte[] data, List<String> strictErrors) throws PolicyError {
        String text = new String(data, StandardCharsets.UTF_8);
        if (text.stripLeading().startsWith("{")) {
            return data;
        }
        try {
            GoYaml.Converted c = GoYaml.toJsonValue(text, build);
            if (!c.duplicates().isEmpty()) {
                strictErrors.add("error converting YAML to JSON: yaml: unmarshal errors:\n  " + String.join("\n  ", c.duplicates()));
            }
            return GoJsonText.marshal(c.value());
        } catch (GoYaml.YamlError | GoJsonText.UnsupportedValue e) {
            throw new PolicyError("failed decoding: " + e.getMessage());
        }
    }

    /**
     * SimpleMetaFactory.Interpret: apiVersion and kind read with encoding/json, which matches field names
     * case-insensitively (the last matching key wins), then schema.ParseGroupVersion.
     */
    private static String[] interpret(byte[] json) throws PolicyError {
        JsonNode top;
        try {
            top = JSON.readTree(json);
        } catch (IOException e) {
            throw new PolicyError("failed decoding: couldn't get version/kind; json parse error: " + e.getMessage());
        }
        String apiVersion = "";
        String kind = "";
        if (top != null && !top.isNull() && !top.isObject()) {
            throw new PolicyError("failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal "
                    + jsonKind(top) + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\";"
                    + " Kind string \"json:\\\"kind,omitempty\\\"\" }");
        }
        if (top != null && top.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = top.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                boolean isVersion = e.getKey().equalsIgnoreCase("apiVersion");
                if (!isVersion && !e.getKey().equalsIgnoreCase("kind")) {
                    continue;
                }
                JsonNode v = e.getValue();
                if (!v.isTextual() && !v.isNull()) {
                    throw new PolicyError("failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal "
                            + jsonKind(v) + " into Go struct field ." + (isVersion ? "apiVersion" : "kind") + " of type string");
                }
                if (v.isTextual()) {
                    if (isVersion) {
                        apiVersion = v.asText();
                    } else {
                        kind = v.asText();
                    }
                }
            }
        }
        if (apiVersion.chars().filter(c -> c == '/').count() > 1) {
            throw new PolicyError("failed decoding: unexpected GroupVersion string: " + apiVersion);
        }
        return new String[] {apiVersion, kind};
    }

    private static String jsonKind(JsonNode n) {
        return n.isObject() ? "object" : n.isArray() ? "array" : n.isBoolean() ? "bool" : n.isNumber() ? "number" : "string";
    }

    /** The universal decoder's view of apiVersion/kind, defaulted from the internal Policy type; the registered version. */
    private String checkRegistered(String apiVersion, String kind) throws PolicyError {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        if (kind.isEmpty()) {
            kind = "Policy";
        }
        if (version.isEmpty() && group.isEmpty()) {
            throw new PolicyError("unknown group version field audit.k8s.io/__internal, Kind=" + kind + " in policy");
        }
        String gv = group.isEmpty() ? version : group + "/" + version;
        List<String> registered = new ArrayList<>();
        if (build.v1()) {
            registered.add("v1");
        }
        if (build.oldVersions()) {
            registered.addAll(List.of("v1beta1", "v1alpha1"));
        }
        if (!group.equals("audit.k8s.io") || !registered.contains(version)
                || !Set.of("Policy", "PolicyList", "Event", "EventList").contains(kind)) {
            throw new PolicyError("failed decoding: no kind " + GoStrings.quote(kind) + " is registered for version "
                    + GoStrings.quote(gv) + " in scheme " + GoStrings.quote(SCHEME));
        }
        if (!kind.equals("Policy")) {
            throw new PolicyError("failed decoding: converting (" + version + "." + kind + ") to (audit.Policy): unknown conversion");
        }
        return version;
    }

    /** validation.ValidatePolicy, with its field paths and wording. */
    private static List<String> validate(List<PolicyJsonDecoder.RawRule> rules, List<String> omitStages, boolean groupWildcard) {
        List<String> errors = new ArrayList<>();
        stages(omitStages, "omitStages", errors);
        for (int i = 0; i < rules.size(); i++) {
            PolicyJsonDecoder.RawRule r = rules.get(i);
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
            for (PolicyJsonDecoder.RawGroup gr : r.resources()) {
                if (!gr.group().isEmpty() && !(groupWildcard && gr.group().equals("*")) && (gr.group().length() > 253 || !DNS1123_SUBDOMAIN.matcher(gr.group()).matches())) {
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

    /** Conversion to the internal type, which the evaluator uses. */
    private ServerPolicy toPolicy(PolicyJsonDecoder.RawPolicy raw) {
        List<ServerPolicy.Rule> rules = raw.rules().stream().map(r -> new ServerPolicy.Rule(
                ServerPolicy.Level.parse(r.level()).orElseThrow(), r.users(), r.userGroups(), r.verbs(),
                r.resources().stream().map(g -> new ServerPolicy.GroupResources(g.group(), g.resources(), g.resourceNames())).toList(),
                r.namespaces(), r.nonResourceURLs(), stageSet(r.omitStages()), Optional.ofNullable(r.omitManagedFields()))).toList();
        return new ServerPolicy(rules, stageSet(raw.omitStages()), raw.omitManagedFields(), build.groupWildcard());
    }

    private static Set<ServerPolicy.Stage> stageSet(List<String> names) {
        return names.stream().map(n -> ServerPolicy.Stage.parse(n).orElseThrow()).collect(Collectors.toSet());
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
