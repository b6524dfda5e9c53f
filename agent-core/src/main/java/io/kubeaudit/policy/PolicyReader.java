package io.kubeaudit.policy;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlDocuments;
import io.kubeaudit.yaml.YamlMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one policy file into {@link AuditPolicy}, collecting every error instead of stopping at
 * the first. It applies the API server's decoding (YAML 1.1 scalars as go-yaml v2 types them, JSON
 * types, the fields and apiVersions of the target version in {@link ServerVersionTable}) and
 * {@code ValidatePolicy} rules, and also refuses what the server would only accept with another
 * meaning: unknown or misspelt fields (dropped with a log warning since 1.26, silently before),
 * null where a value belongs (read as "", false or no list), invalid policy-wide {@code omitStages}
 * (never checked by the server), an apiVersion the next upgrade removes.
 */
final class PolicyReader {

    private static final List<String> POLICY_FIELDS = List.of("apiVersion", "kind", "metadata", "rules", "omitStages",
            "omitManagedFields");
    private static final List<String> RULE_FIELDS = List.of("level", "users", "userGroups", "verbs", "resources",
            "namespaces", "nonResourceURLs", "omitStages", "omitManagedFields");
    private static final List<String> GROUP_RESOURCES_FIELDS = List.of("group", "resources", "resourceNames");
    private static final List<String> METADATA_STRINGS = List.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion");
    private static final List<String> METADATA_TIMES = List.of("creationTimestamp", "deletionTimestamp");
    private static final List<String> METADATA_INTEGERS = List.of("generation", "deletionGracePeriodSeconds");
    private static final List<String> METADATA_MAPS = List.of("labels", "annotations");
    private static final List<String> METADATA_LISTS = List.of("finalizers", "ownerReferences", "managedFields");
    /** apiVersion and kind: null reads as missing, reported as such. */
    private static final Set<String> TYPE_META = Set.of("apiVersion", "kind");
    private static final List<String> LEVELS = Arrays.stream(AuditLevel.values()).map(AuditLevel::wireName).toList();
    private static final List<String> STAGES = Arrays.stream(AuditStage.values()).map(AuditStage::wireName).toList();
    private static final Map<String, ServerVersionTable.Fact> OLD_VERSIONS = Map.of(
            "audit.k8s.io/v1beta1", ServerVersionTable.Fact.API_V1BETA1,
            "audit.k8s.io/v1alpha1", ServerVersionTable.Fact.API_V1ALPHA1);
    /** What a rule selects when a selector list is left out. */
    private static final Map<String, String> EVERY = Map.of("users", "every user", "userGroups", "every group",
            "verbs", "every verb", "namespaces", "every namespace", "resources", "every resource",
            "nonResourceURLs", "every URL", "resourceNames", "every name");
    /** RFC 1123 subdomain, as the API server checks a rule's group. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int DNS_SUBDOMAIN_MAX = 253;

    private final String file;
    /** The server the file is for; without one, the newest in the table. */
    private final Optional<KubeVersion> server;
    private final KubeVersion target;
    private final List<PolicyError> errors = new ArrayList<>();

    private PolicyReader(String file, Optional<KubeVersion> server) {
        this.file = file;
        this.server = server;
        this.target = server.orElse(ServerVersionTable.NEWEST);
    }

    static AuditPolicy read(String file, String text, Optional<KubeVersion> server) throws InvalidPolicyException {
        return new PolicyReader(file, server).read(text);
    }

    private AuditPolicy read(String text) throws InvalidPolicyException {
        YamlMapping top;
        try {
            // Typed as the newest build reads scalars: it reads every number form older builds read, and more.
            top = YamlMapping.of(file, "", YamlDocuments.single(file, text, new GoYamlResolver(GoYamlScalars.Build.NEWEST)));
        } catch (InvalidInputException e) {
            throw new InvalidPolicyException(List.of(PolicyError.of(e)));
        }
        rejectUnknown(top, policyFields());
        check(() -> checkApiVersion(top));
        check(() -> checkKind(top));
        check(() -> {
            Optional<YamlMapping> metadata = top.mapping("metadata");
            if (metadata.isPresent()) {
                checkMetadata(metadata.get());
            }
        });
        Set<AuditStage> omitStages = stages(top, "omitStages", " (the API server never checks the policy-wide"
                + " omitStages, so a misspelt stage would silently stay in the log)");
        Optional<ManagedFieldsOption> omitManagedFields = managedFields(top);
        List<PolicyRule> rules = rules(top);
        if (!errors.isEmpty()) {
            throw new InvalidPolicyException(errors);
        }
        return new AuditPolicy(file, top.location(), rules, omitStages, omitManagedFields);
    }

    private void checkApiVersion(YamlMapping top) throws InvalidInputException {
        Optional<String> apiVersion = string(top, "apiVersion");
        if (apiVersion.isEmpty()) {
            throw top.error(top.node(), "apiVersion is missing: an audit policy must declare \"apiVersion: "
                    + AuditPolicy.API_VERSION + "\" and \"kind: Policy\", or the API server cannot decode it");
        }
        String v = apiVersion.get();
        Node at = top.value("apiVersion").orElseThrow();
        ServerVersionTable.Fact old = OLD_VERSIONS.get(v);
        if (old != null) {
            String removed = ServerVersionTable.name(ServerVersionTable.until(old).orElseThrow());
            String deprecated = ServerVersionTable.name(ServerVersionTable.since(ServerVersionTable.Fact.OLD_API_DEPRECATION_WARNING));
            String refused = " refuse to start with it (no kind \"Policy\" is registered for version \"" + v + "\"); change it to "
                    + AuditPolicy.API_VERSION + ", the fields are the same";
            if (ServerVersionTable.holds(old, target)) {
                throw top.error(at, "apiVersion \"" + v + "\" still loads on kube-apiserver " + target
                        + (ServerVersionTable.holds(ServerVersionTable.Fact.OLD_API_DEPRECATION_WARNING, target)
                        ? " (with a deprecation warning)" : "") + ", but it was removed in Kubernetes " + removed
                        + ": after a control-plane upgrade to " + removed + " or newer the API server would" + refused);
            }
            throw top.error(at, "apiVersion \"" + v + "\" was removed in Kubernetes " + removed + " (deprecated since "
                    + deprecated + "): kube-apiserver " + server.map(KubeVersion::toString).orElse(removed + " and newer") + refused);
        }
        if (!v.equals(AuditPolicy.API_VERSION)) {
            throw top.error(at, "apiVersion \"" + v + "\" is not an audit policy version: use " + AuditPolicy.API_VERSION
                    + " (no kind \"Policy\" is registered for any other version)");
        }
        if (!ServerVersionTable.holds(ServerVersionTable.Fact.API_V1, target)) {
            throw top.error(at, "kube-apiserver " + target + " does not know " + AuditPolicy.API_VERSION + " (added in "
                    + ServerVersionTable.name(ServerVersionTable.since(ServerVersionTable.Fact.API_V1)) + ") and would refuse"
                    + " to start; upgrade the control plane to a supported Kubernetes version first");
        }
    }

    private void checkKind(YamlMapping top) throws InvalidInputException {
        Optional<String> kind = string(top, "kind");
        if (kind.isEmpty()) {
            throw top.error(top.node(), "kind is missing: add \"kind: Policy\"");
        }
        if (!kind.get().equals("Policy")) {
            throw top.error(top.value("kind").orElseThrow(), "kind \"" + kind.get() + "\" is not an audit policy: the file"
                    + " given to --audit-policy-file must have \"kind: Policy\"");
        }
    }

    /** ObjectMeta is allowed (Go-marshalled policies carry {@code creationTimestamp: null}); its fields are type-checked. */
    private void checkMetadata(YamlMapping metadata) throws InvalidInputException {
        List<String> known = new ArrayList<>();
        for (List<String> group : List.of(METADATA_STRINGS, METADATA_TIMES, METADATA_INTEGERS, METADATA_MAPS, METADATA_LISTS)) {
            known.addAll(group);
        }
        rejectUnknown(metadata, known);
        for (String key : METADATA_STRINGS) {
            attempt(() -> string(metadata, key));
        }
        for (String key : METADATA_TIMES) {
            check(() -> timestamp(metadata, key));
        }
        for (String key : METADATA_INTEGERS) {
            check(() -> {
                Optional<Node> value = metadata.value(key);
                if (value.isPresent() && !Tag.INT.equals(value.get().getTag())) {
                    throw metadata.error(value.get(), metadata.child(key) + " must be a whole number, found "
                            + YamlMapping.describe(value.get()));
                }
            });
        }
        for (String key : METADATA_MAPS) {
            check(() -> {
                Optional<YamlMapping> map = metadata.mapping(key);
                if (map.isPresent()) {
                    for (String name : map.get().keys()) {
                        string(map.get(), name);
                    }
                }
            });
        }
        for (String key : METADATA_LISTS) {
            attempt(() -> metadata.list(key));
        }
    }

    private List<PolicyRule> rules(YamlMapping top) {
        List<Node> items;
        try {
            Optional<List<Node>> list = top.list("rules");
            if (list.isEmpty()) {
                throw top.error(top.node(), "rules is missing: a policy needs at least one rule, such as \"- level: Metadata\""
                        + " (the API server refuses one without: loaded illegal policy with 0 rules)");
            }
            items = list.get();
            if (items.isEmpty()) {
                throw top.error(top.value("rules").orElseThrow(), "rules is empty: the API server refuses a policy with 0 rules"
                        + " (loaded illegal policy with 0 rules); add at least \"- level: Metadata\"");
            }
        } catch (InvalidInputException e) {
            errors.add(PolicyError.of(e));
            return List.of();
        }
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            attempt(() -> YamlMapping.of(file, "rules[" + index + "]", items.get(index)))
                    .flatMap(m -> rule(m, index)).ifPresent(rules::add);
        }
        return rules;
    }

    /** One rule, or empty when it has errors (recorded). */
    private Optional<PolicyRule> rule(YamlMapping m, int index) {
        int before = errors.size();
        rejectUnknown(m, ruleFields());
        Optional<AuditLevel> level = attempt(() -> level(m));
        List<String> users = strings(m, "users");
        List<String> userGroups = strings(m, "userGroups");
        List<String> verbs = strings(m, "verbs");
        List<GroupResources> resources = groupResources(m);
        List<String> namespaces = strings(m, "namespaces");
        List<String> urls = nonResourceURLs(m);
        Set<AuditStage> omitStages = stages(m, "omitStages", "");
        Optional<ManagedFieldsOption> omitManagedFields = managedFields(m);
        if (!urls.isEmpty() && (!resources.isEmpty() || !namespaces.isEmpty())) {
            errors.add(new PolicyError(SourceLocation.of(file, m.keyNode("nonResourceURLs")), m.path()
                    + " selects both nonResourceURLs and " + (resources.isEmpty() ? "namespaces" : "resources")
                    + ": a rule applies either to resource requests or to non-resource URLs; split it into two rules"));
        }
        if (errors.size() > before || level.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new PolicyRule(index, m.location(), level.get(), users, userGroups, verbs, resources, namespaces,
                urls, omitStages, omitManagedFields));
    }

    private AuditLevel level(YamlMapping m) throws InvalidInputException {
        Optional<String> value = string(m, "level");
        if (value.isEmpty()) {
            throw m.error(m.node(), m.child("level") + " is missing: every rule needs one of " + String.join(", ", LEVELS));
        }
        Optional<AuditLevel> level = AuditLevel.parse(value.get());
        if (level.isEmpty()) {
            throw m.error(m.value("level").orElseThrow(), m.child("level") + " \"" + value.get() + "\" is not a level;"
                    + " use one of " + String.join(", ", LEVELS) + Suggestions.hint(value.get(), LEVELS));
        }
        return level.get();
    }

    private List<GroupResources> groupResources(YamlMapping rule) {
        List<GroupResources> out = new ArrayList<>();
        Optional<List<Node>> items = attempt(() -> rule.list("resources").orElse(List.of()));
        for (int i = 0; items.isPresent() && i < items.get().size(); i++) {
            int index = i;
            attempt(() -> YamlMapping.of(file, rule.child("resources") + "[" + index + "]", items.get().get(index)))
                    .flatMap(this::groupResource).ifPresent(out::add);
        }
        return out;
    }

    private Optional<GroupResources> groupResource(YamlMapping m) {
        int before = errors.size();
        rejectUnknown(m, GROUP_RESOURCES_FIELDS);
        String group = attempt(() -> string(m, "group")).flatMap(g -> g).orElse("");
        if (!group.isEmpty()) {
            check(() -> checkGroup(m, group));
        }
        List<String> resources = strings(m, "resources");
        List<String> names = strings(m, "resourceNames");
        if (!names.isEmpty() && resources.isEmpty()) {
            errors.add(new PolicyError(SourceLocation.of(file, m.keyNode("resourceNames")), m.child("resourceNames")
                    + " needs resources: names only narrow the resources listed beside them (the API server refuses this:"
                    + " using resourceNames requires at least one resource)"));
        }
        return errors.size() > before ? Optional.empty() : Optional.of(new GroupResources(group, resources, names, m.location()));
    }

    private void checkGroup(YamlMapping m, String group) throws InvalidInputException {
        Node at = m.value("group").orElseThrow();
        if (group.equals("*")) {
            if (ServerVersionTable.holds(ServerVersionTable.Fact.GROUP_WILDCARD, target)) {
                return;
            }
            throw m.error(at, m.child("group") + " \"*\" is a wildcard only from kube-apiserver "
                    + ServerVersionTable.name(ServerVersionTable.since(ServerVersionTable.Fact.GROUP_WILDCARD)) + "; "
                    + target + " refuses to start with it (not a valid API group); list the groups instead");
        }
        int slash = group.indexOf('/');
        if (slash > 0 && isDnsSubdomain(group.substring(0, slash))) {
            throw m.error(at, m.child("group") + " \"" + group + "\" must not carry a version: write \""
                    + group.substring(0, slash) + "\" (a rule matches every version of its group)");
        }
        if (!isDnsSubdomain(group)) {
            throw m.error(at, m.child("group") + " \"" + group + "\" is not a valid API group: it must be \"\" for the core"
                    + " group or a lowercase DNS subdomain such as \"apps\" or \"rbac.authorization.k8s.io\"");
        }
    }

    private static boolean isDnsSubdomain(String s) {
        return s.length() <= DNS_SUBDOMAIN_MAX && DNS_SUBDOMAIN.matcher(s).matches();
    }

    private List<String> nonResourceURLs(YamlMapping m) {
        List<ScalarNode> urls = stringNodes(m, "nonResourceURLs");
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i).getValue();
            String path = m.child("nonResourceURLs") + "[" + i + "]";
            SourceLocation at = SourceLocation.of(file, urls.get(i));
            if (url.equals("*")) {
                continue;
            }
            if (!url.startsWith("/")) {
                errors.add(new PolicyError(at, path + " \"" + url + "\" must start with \"/\" (or be \"*\" for every URL)"));
            }
            if (!url.isEmpty() && url.substring(0, url.length() - 1).contains("*")) {
                errors.add(new PolicyError(at, path + " \"" + url + "\": \"*\" is only allowed as the last character"
                        + " (a prefix match such as \"/healthz*\")"));
            }
        }
        return values(urls);
    }

    private Set<AuditStage> stages(YamlMapping m, String key, String why) {
        Set<AuditStage> out = EnumSet.noneOf(AuditStage.class);
        List<ScalarNode> names = stringNodes(m, key);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).getValue();
            Optional<AuditStage> stage = AuditStage.parse(name);
            if (stage.isPresent()) {
                out.add(stage.get());
            } else {
                errors.add(new PolicyError(SourceLocation.of(file, names.get(i)), m.child(key) + "[" + i + "] \"" + name
                        + "\" is not a stage; use " + String.join(", ", STAGES) + Suggestions.hint(name, STAGES) + why));
            }
        }
        return out;
    }

    /** The field exists from 1.23; an older server drops it without a word and logs managed fields anyway. */
    private Optional<ManagedFieldsOption> managedFields(YamlMapping m) {
        if (!m.has("omitManagedFields") || !ServerVersionTable.holds(ServerVersionTable.Fact.OMIT_MANAGED_FIELDS, target)) {
            return Optional.empty();
        }
        return attempt(() -> {
            Node value = m.value("omitManagedFields").orElse(null);
            if (value == null) {
                throw m.error(m.keyNode("omitManagedFields"), m.child("omitManagedFields") + " is null, which kube-apiserver"
                        + " reads as " + (m.path().isEmpty() ? "false" : "unset (the policy's setting applies)")
                        + "; write true or false");
            }
            if (!(value instanceof ScalarNode s) || !Tag.BOOL.equals(s.getTag())) {
                throw typeError(m, m.child("omitManagedFields"), value, "true or false");
            }
            boolean omit = GoYamlScalars.plain(s.getValue(), GoYamlScalars.Build.NEWEST).value().equals("true");
            return new ManagedFieldsOption(omit, SourceLocation.of(file, m.keyNode("omitManagedFields")));
        });
    }

    private List<String> policyFields() {
        return withManagedFields(POLICY_FIELDS);
    }

    private List<String> ruleFields() {
        return withManagedFields(RULE_FIELDS);
    }

    private List<String> withManagedFields(List<String> fields) {
        return ServerVersionTable.holds(ServerVersionTable.Fact.OMIT_MANAGED_FIELDS, target) ? fields
                : fields.stream().filter(f -> !f.equals("omitManagedFields")).toList();
    }

    private List<String> strings(YamlMapping m, String key) {
        return values(stringNodes(m, key));
    }

    private static List<String> values(List<ScalarNode> nodes) {
        return nodes.stream().map(ScalarNode::getValue).toList();
    }

    /**
     * A list of strings, as nodes for their positions. A value the server reads with another type
     * is refused: it converts YAML to JSON first, and {@code 123} or {@code y} then fails to decode
     * as a string (the server exits); a null item becomes "" and a null list no list, silently.
     */
    private List<ScalarNode> stringNodes(YamlMapping m, String key) {
        return attempt(() -> {
            List<ScalarNode> out = new ArrayList<>();
            if (m.has(key) && m.value(key).isEmpty()) {
                throw m.error(m.keyNode(key), m.child(key) + " is null (nothing after the colon, ~ or null), which"
                        + " kube-apiserver reads as no list" + (EVERY.containsKey(key) ? ": the rule then applies to " + EVERY.get(key)
                        : "") + "; remove the key if that is meant, or list the values");
            }
            List<Node> items = m.list(key).orElse(List.of());
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                String path = m.child(key) + "[" + i + "]";
                if (YamlMapping.isNull(item)) {
                    throw m.error(item, path + " is null, which kube-apiserver reads as the empty string \"\""
                            + (key.equals("namespaces") ? " (requests outside any namespace)" : "")
                            + "; write \"\" if that is meant, or the value in quotes");
                }
                if (!isString(item)) {
                    throw typeError(m, path, item, "a string");
                }
                out.add((ScalarNode) item);
            }
            return out;
        }).orElse(List.of());
    }

    /**
     * A value of another type than the field's: what the server reads instead, and the fix. The file is
     * typed as the newest server reads it; a server given here that reads the text as a string is named,
     * since the next upgrade would then break it.
     */
    private InvalidInputException typeError(YamlMapping m, String at, Node value, String expected) {
        if (!(value instanceof ScalarNode s)) {
            return m.error(value, at + " must be " + expected + ", found " + YamlMapping.describe(value));
        }
        String text = s.getValue();
        String quoted = "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        GoYamlScalars.Reading newest = GoYamlScalars.plain(text, GoYamlScalars.Build.NEWEST);
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN && Tag.STR.equals(s.getTag())) {
            return m.error(value, at + " is the quoted string " + quoted + ", which kube-apiserver cannot read as " + expected
                    + ": the server would refuse to start (failed decoding); write " + expected + " without quotes");
        }
        if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN || !s.getTag().equals(new GoYamlResolver(
                GoYamlScalars.Build.NEWEST).resolve(NodeId.scalar, text, true))) {
            return m.error(value, at + " must be " + expected + ", found " + text + " tagged " + s.getTag()
                    + ": kube-apiserver reads the tag and refuses to start (failed decoding); remove the tag");
        }
        if (expected.equals("a string") && server.isPresent()
                && GoYamlScalars.plain(text, GoYamlScalars.Build.of(server.get())).isString()) {
            return m.error(value, at + " is " + text + ": kube-apiserver " + server.get() + " reads the string, but newer"
                    + " builds (1.17 and newer, some 1.13 to 1.16 patch releases) read " + newest.describe() + " and refuse to"
                    + " start (failed decoding); quote it (" + quoted + ") so every version reads the string");
        }
        String fix = expected.equals("a string") ? "quote it: " + quoted : "write " + expected;
        return m.error(value, at + " is " + text + ", which kube-apiserver" + server.map(v -> " " + v).orElse("")
                + " reads as " + newest.describe() + " (YAML 1.1, as its go-yaml v2 resolves it), not " + expected
                + ": the server would refuse to start (failed decoding); " + fix);
    }

    /** A string field; null is refused outside metadata (Go-marshalled policies write creationTimestamp: null). */
    private Optional<String> string(YamlMapping m, String key) throws InvalidInputException {
        if (m.has(key) && m.value(key).isEmpty() && !m.path().startsWith("metadata") && !TYPE_META.contains(key)) {
            throw m.error(m.keyNode(key), m.child(key) + " is null, which kube-apiserver reads as \"\"" + switch (key) {
                case "group" -> " (the core API group); write group: \"\" for the core group";
                case "level" -> " and refuses to start (level: Required value); write one of " + String.join(", ", LEVELS);
                default -> "; write the value";
            });
        }
        Optional<Node> value = m.value(key);
        if (value.isPresent() && !isString(value.get())) {
            throw typeError(m, m.child(key), value.get(), "a string");
        }
        return value.map(v -> ((ScalarNode) v).getValue());
    }

    /** Go-marshalled policies write {@code creationTimestamp: null}; a written time is a string or a YAML timestamp. */
    private static void timestamp(YamlMapping m, String key) throws InvalidInputException {
        Optional<Node> value = m.value(key);
        if (value.isPresent() && !(isString(value.get()) || value.get() instanceof ScalarNode s && Tag.TIMESTAMP.equals(s.getTag()))) {
            throw m.error(value.get(), m.child(key) + " must be a time or null, found " + YamlMapping.describe(value.get()));
        }
    }

    private static boolean isString(Node n) {
        return n instanceof ScalarNode s && Tag.STR.equals(s.getTag());
    }

    /** Unknown fields, with the nearest known name: the API server would drop them and apply a wider rule. */
    private void rejectUnknown(YamlMapping m, List<String> known) {
        for (String key : m.keys()) {
            if (known.contains(key)) {
                continue;
            }
            SourceLocation at = SourceLocation.of(file, m.keyNode(key));
            if (key.equals("<<")) {
                errors.add(new PolicyError(at, m.child(key) + ": YAML merge keys are not accepted in a policy (YAML readers"
                        + " disagree on them); write the fields out"));
            } else if (key.equals("omitManagedFields")) {
                errors.add(new PolicyError(at, m.child(key) + " is not a field of kube-apiserver " + target + "'s "
                        + AuditPolicy.API_VERSION + " Policy (it arrived in " + ServerVersionTable.name(
                        ServerVersionTable.since(ServerVersionTable.Fact.OMIT_MANAGED_FIELDS)) + "): that server drops it"
                        + " without a word and logs managed fields anyway; remove it, or upgrade the control plane first"
                        + " (the bundled minimal, recommended and cis work from 1.12)"));
            } else {
                errors.add(new PolicyError(at, "unknown field \"" + m.child(key) + "\"" + Suggestions.hint(key, known)
                        + ": kube-apiserver" + server.map(v -> " " + v).orElse("") + " would drop it "
                        + (ServerVersionTable.holds(ServerVersionTable.Fact.UNKNOWN_FIELDS_LOGGED, target)
                        ? "with only a warning in its log" : "without a word") + ", so the policy would not do what it says;"
                        + " known fields here: " + known.stream().collect(Collectors.joining(", "))));
            }
        }
    }

    private interface Reading<T> {
        T read() throws InvalidInputException;
    }

    private interface Check {
        void run() throws InvalidInputException;
    }

    private <T> Optional<T> attempt(Reading<T> reading) {
        try {
            return Optional.ofNullable(reading.read());
        } catch (InvalidInputException e) {
            errors.add(PolicyError.of(e));
            return Optional.empty();
        }
    }

    private void check(Check check) {
        try {
            check.run();
        } catch (InvalidInputException e) {
            errors.add(PolicyError.of(e));
        }
    }
}
