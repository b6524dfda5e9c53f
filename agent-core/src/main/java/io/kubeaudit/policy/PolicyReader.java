package io.kubeaudit.policy;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlDocuments;
import io.kubeaudit.yaml.YamlMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one policy file into {@link AuditPolicy}, collecting every error instead of stopping at
 * the first. It applies the API server's decoding and {@code ValidatePolicy} rules, and also
 * refuses what the server would only accept leniently: unknown or misspelt fields (dropped with a
 * log warning since 1.26, silently before), non-string values in string lists, invalid
 * policy-wide {@code omitStages} (never checked by the server).
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
    private static final List<String> LEVELS = Arrays.stream(AuditLevel.values()).map(AuditLevel::wireName).toList();
    private static final List<String> STAGES = Arrays.stream(AuditStage.values()).map(AuditStage::wireName).toList();
    private static final Set<String> REMOVED_VERSIONS = Set.of("audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1");
    /** RFC 1123 subdomain, as the API server checks a rule's group. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int DNS_SUBDOMAIN_MAX = 253;

    private final String file;
    private final List<PolicyError> errors = new ArrayList<>();

    private PolicyReader(String file) {
        this.file = file;
    }

    static AuditPolicy read(String file, String text) throws InvalidPolicyException {
        return new PolicyReader(file).read(text);
    }

    private AuditPolicy read(String text) throws InvalidPolicyException {
        YamlMapping top;
        try {
            top = YamlMapping.of(file, "", YamlDocuments.single(file, text));
        } catch (InvalidInputException e) {
            throw new InvalidPolicyException(List.of(PolicyError.of(e)));
        }
        rejectUnknown(top, POLICY_FIELDS);
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
        if (REMOVED_VERSIONS.contains(v)) {
            throw top.error(at, "apiVersion \"" + v + "\" was removed in Kubernetes 1.24 (deprecated since 1.21):"
                    + " kube-apiserver 1.24 and newer refuse to start with it (no kind \"Policy\" is registered for version \""
                    + v + "\"); change it to " + AuditPolicy.API_VERSION + ", the fields are the same");
        }
        if (!v.equals(AuditPolicy.API_VERSION)) {
            throw top.error(at, "apiVersion \"" + v + "\" is not an audit policy version: use " + AuditPolicy.API_VERSION
                    + " (no kind \"Policy\" is registered for any other version)");
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
            attempt(() -> metadata.integer(key));
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
        rejectUnknown(m, RULE_FIELDS);
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

    private Optional<ManagedFieldsOption> managedFields(YamlMapping m) {
        return attempt(() -> m.bool("omitManagedFields"))
                .flatMap(v -> v)
                .map(v -> new ManagedFieldsOption(v, SourceLocation.of(file, m.keyNode("omitManagedFields"))));
    }

    private List<String> strings(YamlMapping m, String key) {
        return values(stringNodes(m, key));
    }

    private static List<String> values(List<ScalarNode> nodes) {
        return nodes.stream().map(ScalarNode::getValue).toList();
    }

    /**
     * A list of strings, as nodes for their positions. Plain scalars that YAML reads as numbers,
     * booleans or null are refused: the API server converts YAML to JSON first, and {@code 123} or
     * {@code yes} then fails to decode as a string.
     */
    private List<ScalarNode> stringNodes(YamlMapping m, String key) {
        return attempt(() -> {
            List<ScalarNode> out = new ArrayList<>();
            List<Node> items = m.list(key).orElse(List.of());
            for (int i = 0; i < items.size(); i++) {
                Node item = items.get(i);
                if (!isString(item)) {
                    throw m.error(item, m.child(key) + "[" + i + "] must be a string, found " + YamlMapping.describe(item)
                            + (item instanceof ScalarNode s && !YamlMapping.isNull(s) ? " (quote it: \"" + s.getValue() + "\")" : ""));
                }
                out.add((ScalarNode) item);
            }
            return out;
        }).orElse(List.of());
    }

    private static Optional<String> string(YamlMapping m, String key) throws InvalidInputException {
        Optional<Node> value = m.value(key);
        if (value.isPresent() && !isString(value.get())) {
            Node v = value.get();
            throw m.error(v, m.child(key) + " must be a string, found " + YamlMapping.describe(v)
                    + (v instanceof ScalarNode s ? " (quote it: \"" + s.getValue() + "\")" : ""));
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
            if (!known.contains(key)) {
                errors.add(new PolicyError(SourceLocation.of(file, m.keyNode(key)), "unknown field \"" + m.child(key) + "\""
                        + Suggestions.hint(key, known) + ": kube-apiserver would drop it with at most a log warning, so the"
                        + " policy would not do what it says; known fields here: " + known.stream().collect(Collectors.joining(", "))));
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
