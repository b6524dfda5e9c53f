package io.kubeaudit.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes the policy's JSON into the versioned Policy type the way the emulated server's decoder does:
 * field names matched exactly, a value of another JSON type an error with that decoder's message
 * (json-iterator before 1.23: fatal at once, wrapped type by type; sigs.k8s.io/json from 1.23: the first
 * type error, reported after the whole document), null a zero value, unknown and repeated fields
 * collected as the strict decoder's errors.
 */
final class PolicyJsonDecoder {

    /** A fatal decoding error: the server exits with "failed decoding: " and this. */
    static final class DecodeError extends Exception {
        DecodeError(String message) {
            super(message);
        }
    }

    /** The v1 (or v1beta1, v1alpha1) Policy as decoded, before conversion and validation. */
    record RawPolicy(List<RawRule> rules, List<String> omitStages, boolean omitManagedFields) {
    }

    /** omitManagedFields is a *bool: null when not written. */
    record RawRule(String level, List<String> users, List<String> userGroups, List<String> verbs, List<RawGroup> resources,
                   List<String> namespaces, List<String> nonResourceURLs, List<String> omitStages, Boolean omitManagedFields) {
    }

    record RawGroup(String group, List<String> resources, List<String> resourceNames) {
    }

    record Decoded(RawPolicy policy, List<String> strictErrors) {
    }

    /** json-iterator's error while it unwinds; each decoder on the way out puts its name in front. */
    private static final class IterError extends RuntimeException {
        IterError(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] buf;
    private final ApiServerBuild build;
    private final String pkg;
    private final List<String> strict = new ArrayList<>();
    private int head;
    /** sigs.k8s.io/json keeps decoding after a type error and reports the first. */
    private String firstTypeError;

    private PolicyJsonDecoder(byte[] json, ApiServerBuild build, String version) {
        this.buf = json;
        this.build = build;
        this.pkg = version;
    }

    /** @param version the Go package of the registered version: v1, v1beta1 or v1alpha1 */
    static Decoded decode(byte[] json, ApiServerBuild build, String version) throws DecodeError {
        PolicyJsonDecoder d = new PolicyJsonDecoder(json, build, version);
        RawPolicy p;
        try {
            p = d.policy();
        } catch (IterError e) {
            throw new DecodeError(e.getMessage());
        }
        if (d.firstTypeError != null) {
            throw new DecodeError(d.firstTypeError);
        }
        return new Decoded(p, List.copyOf(d.strict));
    }

    // ---- the types: Policy, PolicyRule, GroupResources, ObjectMeta

    private RawPolicy policy() {
        List<RawRule> rules = new ArrayList<>();
        List<String> omitStages = new ArrayList<>();
        boolean[] omitManaged = {false};
        struct(pkg + ".Policy", "", "", "", (key, path) -> switch (key) {
            case "apiVersion", "kind" -> {
                field(key.equals("kind") ? "Kind" : "APIVersion", () -> readString("Policy", path, "string"));
                yield true;
            }
            case "metadata" -> {
                field("ObjectMeta", this::objectMeta);
                yield true;
            }
            case "rules" -> {
                field("Rules", () -> rules.addAll(slice(pkg + ".PolicyRule", "Policy", path,
                        i -> rule(path + "[" + i + "]", path))));
                yield true;
            }
            case "omitStages" -> {
                field("OmitStages", () -> omitStages.addAll(stringSlice(pkg + ".Stage", "Policy", path)));
                yield true;
            }
            case "omitManagedFields" -> {
                if (!build.managedFields()) {
                    yield false;
                }
                field("OmitManagedFields", () -> omitManaged[0] = Boolean.TRUE.equals(readBool("Policy", path)));
                yield true;
            }
            default -> false;
        });
        return new RawPolicy(rules, omitStages, omitManaged[0]);
    }

    private RawRule rule(String at, String typePath) {
        String[] level = {""};
        List<List<String>> lists = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lists.add(new ArrayList<>());
        }
        List<RawGroup> groups = new ArrayList<>();
        Boolean[] omitManaged = {null};
        List<String> names = List.of("users", "userGroups", "verbs", "namespaces", "nonResourceURLs", "omitStages");
        boolean present = struct(pkg + ".PolicyRule", at, "Policy", typePath, (key, path) -> {
            String tp = typePath + "." + key;
            int list = names.indexOf(key);
            if (list >= 0) {
                field(goName(key),
                        () -> lists.get(list).addAll(stringSlice(key.equals("omitStages") ? pkg + ".Stage" : "string",
                                "PolicyRule", tp)));
                return true;
            }
            switch (key) {
                case "level" -> field("Level", () -> level[0] = readString("PolicyRule", tp, pkg + ".Level"));
                case "resources" -> field("Resources", () -> groups.addAll(slice(pkg + ".GroupResources", "PolicyRule", tp,
                        i -> group(path + "[" + i + "]", tp))));
                case "omitManagedFields" -> {
                    if (!build.managedFields()) {
                        return false;
                    }
                    field("OmitManagedFields", () -> omitManaged[0] = readBool("PolicyRule", tp));
                }
                default -> {
                    return false;
                }
            }
            return true;
        });
        return present ? new RawRule(level[0], lists.get(0), lists.get(1), lists.get(2), groups, lists.get(3), lists.get(4),
                lists.get(5), omitManaged[0]) : new RawRule("", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), null);
    }

    private RawGroup group(String at, String typePath) {
        String[] group = {""};
        List<String> resources = new ArrayList<>();
        List<String> names = new ArrayList<>();
        struct(pkg + ".GroupResources", at, "PolicyRule", typePath, (key, path) -> {
            String tp = typePath + "." + key;
            switch (key) {
                case "group" -> field("Group", () -> group[0] = readString("GroupResources", tp, "string"));
                case "resources" -> field("Resources", () -> resources.addAll(stringSlice("string", "GroupResources", tp)));
                case "resourceNames" -> field("ResourceNames", () -> names.addAll(stringSlice("string", "GroupResources", tp)));
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new RawGroup(group[0], resources, names);
    }

    /** metav1.ObjectMeta: the fields a policy file may carry (Go-marshalled ones write creationTimestamp: null). */
    private void objectMeta() {
        struct("v1.ObjectMeta", "metadata", "Policy", "metadata", (key, path) -> {
            String tp = "metadata." + key;
            switch (key) {
                case "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion" ->
                        field(goName(key), () -> readString("ObjectMeta", tp, "string"));
                case "clusterName" -> {
                    if (build.managedFields() && !build.oldVersions()) {
                        return false;
                    }
                    field("ClusterName", () -> readString("ObjectMeta", tp, "string"));
                }
                case "creationTimestamp", "deletionTimestamp" -> field(goName(key), () -> time("ObjectMeta", tp));
                case "labels", "annotations" -> field(goName(key), () -> stringMap("ObjectMeta", tp));
                case "finalizers" -> field("Finalizers", () -> stringSlice("string", "ObjectMeta", tp));
                case "generation", "deletionGracePeriodSeconds", "ownerReferences", "managedFields" -> skipValue();
                default -> {
                    return false;
                }
            }
            return true;
        });
    }

    private static String goName(String json) {
        return Character.toUpperCase(json.charAt(0)) + json.substring(1);
    }

    // ---- the decoders' building blocks

    private interface Fields {
        /** Decodes the value of a known key and returns true, or returns false for an unknown key (skipped). */
        boolean field(String key, String path);
    }

    /**
     * A struct: "{" fields "}" or null. Unknown and repeated keys are strict errors; a repeated key's last value wins.
     *
     * @param goType    the Go type, as json-iterator names it in its errors ("v1.PolicyRule")
     * @param at        the JSON path with indices, as the strict decoder names fields ("rules[0]")
     * @param enclosing the struct holding this one and {@code typePath} the field path there, as encoding/json names them
     */
    private boolean struct(String goType, String at, String enclosing, String typePath, Fields fields) {
        int c = nextToken();
        if (c == 'n') {
            skipLiteral("null");
            return false;
        }
        if (c != '{') {
            typeError("readObjectStart", "expect { or n, but found " + (char) c, c, enclosing, typePath, goType);
            return false;
        }
        Set<String> seen = new HashSet<>();
        try {
            if (peekToken() == '}') {
                nextToken();
                return true;
            }
            while (true) {
                String key = readKey();
                String path = at.isEmpty() ? key : at + "." + key;
                if (!seen.add(key)) {
                    strict.add("duplicate field " + GoStrings.quote(path));
                }
                if (!fields.field(key, path)) {
                    strict.add("unknown field " + GoStrings.quote(path));
                    skipValue();
                }
                int next = nextToken();
                if (next == '}') {
                    return true;
                }
                if (next != ',') {
                    throw new IterError("ReadObject: expect , or }, but found " + (char) next);
                }
            }
        } catch (IterError e) {
            throw new IterError(goType + "." + e.getMessage());
        }
    }

    private void field(String goField, Runnable decode) {
        try {
            decode.run();
        } catch (IterError e) {
            throw new IterError(goField + ": " + e.getMessage());
        }
    }

    private interface Element<T> {
        T read(int index);
    }

    private <T> List<T> slice(String elemType, String struct, String typePath, Element<T> element) {
        List<T> out = new ArrayList<>();
        try {
            int c = nextToken();
            if (c == 'n') {
                skipLiteral("null");
                return out;
            }
            if (c != '[') {
                typeError("decode slice", "expect [ or n, but found " + (char) c, c, struct, typePath, "[]" + elemType);
                return out;
            }
            if (peekToken() == ']') {
                nextToken();
                return out;
            }
            for (int i = 0; ; i++) {
                out.add(element.read(i));
                int next = nextToken();
                if (next == ']') {
                    return out;
                }
                if (next != ',') {
                    throw new IterError("ReadArray: expect , or ], but found " + (char) next);
                }
            }
        } catch (IterError e) {
            throw new IterError("[]" + elemType + ": " + e.getMessage());
        }
    }

    private List<String> stringSlice(String elemType, String struct, String typePath) {
        return slice(elemType, struct, typePath, i -> readString(struct, typePath, elemType));
    }

    private void stringMap(String struct, String typePath) {
        int c = nextToken();
        if (c == 'n') {
            skipLiteral("null");
            return;
        }
        if (c != '{') {
            typeError("ReadMapCB", "expect { or n, but found " + (char) c, c, struct, typePath, "map[string]string");
            return;
        }
        if (peekToken() == '}') {
            nextToken();
            return;
        }
        while (true) {
            readKey();
            readString(struct, typePath, "string");
            if (nextToken() == '}') {
                return;
            }
        }
    }

    /** metav1.Time: null or an RFC 3339 string. */
    private void time(String struct, String typePath) {
        int start = head;
        int c = peekToken();
        if (c == 'n') {
            nextToken();
            skipLiteral("null");
            return;
        }
        String text = readString(struct, typePath, "v1.Time");
        if (c == '"' && !text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})")) {
            head = start;
            fatalOrFirst("parsing time " + GoStrings.quote(text) + " as \"2006-01-02T15:04:05Z07:00\": cannot parse "
                    + GoStrings.quote(text) + " as \"2006-01-02T15:04:05Z07:00\"");
            skipValue();
        }
    }

    /** A string, or "" for null; another type is the decoder's type error. */
    private String readString(String struct, String typePath, String goType) {
        int c = nextToken();
        if (c == '"') {
            head--;
            return parseString();
        }
        if (c == 'n') {
            skipLiteral("null");
            return "";
        }
        typeError("ReadString", "expects \" or n, but found " + (char) c, c, struct, typePath, goType);
        return "";
    }

    /** true/false, or null for a JSON null. */
    private Boolean readBool(String struct, String typePath) {
        int c = nextToken();
        if (c == 't' || c == 'f') {
            skipLiteral(c == 't' ? "true" : "false");
            return c == 't';
        }
        if (c == 'n') {
            skipLiteral("null");
            return null;
        }
        typeError("ReadBool", "expect t or f, but found " + (char) c, c, struct, typePath, "bool");
        return null;
    }

    /**
     * A value of the wrong JSON type ({@code c} already read). json-iterator stops with its message and the bytes
     * around; sigs.k8s.io/json notes the first error, skips the value and goes on.
     */
    private void typeError(String operation, String message, int c, String struct, String typePath, String goType) {
        if (!build.encodingJson()) {
            throw new IterError(operation + ": " + message + context());
        }
        head--;
        if (firstTypeError == null) {
            firstTypeError = "json: cannot unmarshal " + jsonKind(c) + " into Go struct field " + struct + "." + typePath
                    + " of type " + goType;
        }
        skipValue();
    }

    private void fatalOrFirst(String message) {
        if (!build.encodingJson()) {
            throw new IterError(message);
        }
        if (firstTypeError == null) {
            firstTypeError = message;
        }
    }

    private static String jsonKind(int c) {
        return switch (c) {
            case '"' -> "string";
            case 't', 'f' -> "bool";
            case '{' -> "object";
            case '[' -> "array";
            default -> "number";
        };
    }

    /** jsoniter's ReportError suffix: ten bytes either side of the position, fifty for the bigger context. */
    private String context() {
        int peekStart = Math.max(0, head - 10);
        int peekEnd = Math.min(buf.length, head + 10);
        int ctxStart = Math.max(0, head - 50);
        int ctxEnd = Math.min(buf.length, head + 50);
        return ", error found in #" + (head - peekStart) + " byte of ...|" + text(peekStart, peekEnd)
                + "|..., bigger context ...|" + text(ctxStart, ctxEnd) + "|...";
    }

    private String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    // ---- the JSON scanner

    private int nextToken() {
        while (head < buf.length) {
            byte b = buf[head++];
            if (b != ' ' && b != '\n' && b != '\t' && b != '\r') {
                return b & 0xff;
            }
        }
        throw new IterError("unexpected end of JSON input");
    }

    private int peekToken() {
        int c = nextToken();
        head--;
        return c;
    }

    private void skipLiteral(String word) {
        // the first byte was taken by nextToken
        for (int i = 1; i < word.length(); i++) {
            if (head >= buf.length || buf[head++] != word.charAt(i)) {
                throw new IterError("invalid character in literal " + word);
            }
        }
    }

    private String readKey() {
        if (nextToken() != '"') {
            throw new IterError("ReadObject: expect \" after {, but found something else");
        }
        head--;
        String key = parseString();
        if (nextToken() != ':') {
            throw new IterError("ReadObject: expect : after object field");
        }
        return key;
    }

    private String parseString() {
        head++;
        StringBuilder b = new StringBuilder();
        int start = head;
        while (true) {
            if (head >= buf.length) {
                throw new IterError("unexpected end of JSON input");
            }
            byte c = buf[head];
            if (c == '"') {
                b.append(text(start, head));
                head++;
                return b.toString();
            }
            if (c == '\\') {
                b.append(text(start, head));
                head++;
                char e = (char) buf[head++];
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(text(head, head + 4), 16));
                        head += 4;
                    }
                    default -> b.append(e);
                }
                start = head;
            } else {
                head++;
            }
        }
    }

    private void skipValue() {
        int c = nextToken();
        switch (c) {
            case '"' -> {
                head--;
                parseString();
            }
            case '{', '[' -> {
                int close = c == '{' ? '}' : ']';
                if (peekToken() == close) {
                    nextToken();
                    return;
                }
                while (true) {
                    if (c == '{') {
                        readKey();
                    }
                    skipValue();
                    if (nextToken() == close) {
                        return;
                    }
                }
            }
            case 't' -> skipLiteral("true");
            case 'f' -> skipLiteral("false");
            case 'n' -> skipLiteral("null");
            default -> {
                while (head < buf.length && "+-.eE0123456789".indexOf(buf[head]) >= 0) {
                    head++;
                }
            }
        }
    }
}
