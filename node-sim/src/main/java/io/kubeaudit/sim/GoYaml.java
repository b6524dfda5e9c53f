package io.kubeaudit.sim;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * sigs.k8s.io/yaml's YAMLToJSON as the stand-in server's build has it: go-yaml v2 unmarshals the first
 * document into interface{} (its resolve.go decides each plain scalar's type), the result is made
 * JSON-able (keys become strings), and encoding/json marshals it. SnakeYAML only supplies the parse
 * events' node tree; every type decision is go-yaml's, ported here from resolve.go and decode.go:
 * ints are {@link BigInteger}, floats {@link Double}, null {@link #NULL}.
 *
 * <p>Written from go-yaml's sources for the simulator, independently of the agent's validator, so the
 * two disagree when either is wrong.
 */
final class GoYaml {

    /** JSON null (a Java null cannot be a map value in every collection used here). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A YAML problem, with go-yaml's wording where the simulator knows it. */
    static final class YamlError extends Exception {
        YamlError(String message) {
            super(message);
        }
    }

    /** The JSON value and, for the strict pass, the repeated keys go-yaml's UnmarshalStrict reports. */
    record Converted(Object value, List<String> duplicates) {
    }

    private static final String TAG = "tag:yaml.org,2002:";
    private static final Pattern FLOAT_NEW = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern FLOAT_OLD = Pattern.compile("[-+]?[0-9]*\\.?[0-9]+([eE][-+][0-9]+)?");
    private static final Map<String, Object> RESOLVE_MAP = new HashMap<>();

    static {
        for (String s : List.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")) {
            RESOLVE_MAP.put(s, Boolean.TRUE);
        }
        for (String s : List.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")) {
            RESOLVE_MAP.put(s, Boolean.FALSE);
        }
        for (String s : List.of("", "~", "null", "Null", "NULL")) {
            RESOLVE_MAP.put(s, NULL);
        }
        for (String s : List.of(".nan", ".NaN", ".NAN")) {
            RESOLVE_MAP.put(s, Double.NaN);
        }
        for (String s : List.of(".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")) {
            RESOLVE_MAP.put(s, Double.POSITIVE_INFINITY);
        }
        for (String s : List.of("-.inf", "-.Inf", "-.INF")) {
            RESOLVE_MAP.put(s, Double.NEGATIVE_INFINITY);
        }
    }

    private final ApiServerBuild build;
    private final List<String> duplicates = new ArrayList<>();

    private GoYaml(ApiServerBuild build) {
        this.build = build;
    }

    /** YAMLToJSON's object, before marshalling: the first document, or {@link #NULL} for an empty file. */
    static Converted toJsonValue(String text, ApiServerBuild build) throws YamlError {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        Node first;
        try {
            DumperOptions dumper = new DumperOptions();
            Iterator<Node> docs = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new Untyped())
                    .composeAll(new StringReader(text)).iterator();
            first = docs.hasNext() ? docs.next() : null;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new YamlError("yaml: line " + line + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new YamlError("yaml: " + e.getMessage());
        }
        GoYaml y = new GoYaml(build);
        Object value = first == null ? NULL : y.value(first);
        return new Converted(value, List.copyOf(y.duplicates));
    }

    private Object value(Node n) throws YamlError {
        if (n instanceof ScalarNode s) {
            return scalar(s);
        }
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node item : seq.getValue()) {
                out.add(value(item));
            }
            return out;
        }
        return mapping((MappingNode) n, new TreeMap<>());
    }

    /** decode.go mapping(): entries in order, a later one replaces an earlier one; "<<" merges. */
    private Map<String, Object> mapping(MappingNode m, Map<String, Object> out) throws YamlError {
        Map<String, Integer> lines = new HashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (k instanceof ScalarNode ks && ks.getValue().equals("<<") && ks.getTag().equals(UNTAGGED)) {
                merge(t.getValueNode(), out);
                continue;
            }
            String key = keyString(k);
            if (lines.containsKey(key)) {
                duplicates.add("line " + (k.getStartMark().getLine() + 1) + ": key " + GoStrings.quote(key) + " already set in map");
            }
            lines.put(key, k.getStartMark().getLine() + 1);
            out.put(key, value(t.getValueNode()));
        }
        return out;
    }

    /** A merged map fills in keys; of a list of maps, the first ones win (decode.go merges in reverse order). */
    private void merge(Node n, Map<String, Object> out) throws YamlError {
        if (n instanceof MappingNode m) {
            mapping(m, out);
        } else if (n instanceof SequenceNode seq) {
            for (int i = seq.getValue().size() - 1; i >= 0; i--) {
                if (!(seq.getValue().get(i) instanceof MappingNode m)) {
                    throw new YamlError("yaml: map merge requires map or sequence of maps as the value");
                }
                mapping(m, out);
            }
        } else {
            throw new YamlError("yaml: map merge requires map or sequence of maps as the value");
        }
    }

    /** convertToJSONableObject: keys become strings (an int as decimal, a bool as true/false). */
    private String keyString(Node k) throws YamlError {
        Object key = value(k);
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof BigInteger || key instanceof Boolean) {
            return key.toString();
        }
        if (key instanceof Double d) {
            return d.isNaN() ? ".nan" : d.isInfinite() ? (d > 0 ? ".inf" : "-.inf") : GoJsonText.formatFloat32(d);
        }
        throw new YamlError("Unsupported map key of type: " + (key == NULL ? "%!s(<nil>)" : key.getClass().getSimpleName())
                + ", key: " + key);
    }

    /** Leaves untagged plain scalars to go-yaml's rules: SnakeYAML's own typing never enters. */
    private static final class Untyped extends Resolver {
        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            return kind == NodeId.scalar && implicit ? UNTAGGED : super.resolve(kind, value, implicit);
        }
    }

    private static final Tag UNTAGGED = new Tag("!go-yaml-resolves");

    /** resolve(tag, in): the tag written (quoted scalars are !!str) or, for a plain scalar, what resolve.go makes of it. */
    private Object scalar(ScalarNode s) throws YamlError {
        String in = s.getValue();
        if (s.getTag().equals(UNTAGGED)) {
            return resolvePlain(in);
        }
        String written = s.getTag().getValue();
        String tag = written.startsWith(TAG) ? written.substring(TAG.length()) : written;
        if (tag.equals("str") || tag.equals("binary") || !written.startsWith(TAG)) {
            return in;
        }
        Object resolved = resolvePlain(in);
        String got = resolved instanceof String ? "str" : resolved instanceof Boolean ? "bool" : resolved instanceof BigInteger ? "int"
                : resolved instanceof Double ? "float" : "null";
        if (tag.equals(got) || tag.equals("timestamp") && got.equals("str")) {
            return resolved;
        }
        if (tag.equals("float") && resolved instanceof BigInteger i) {
            return i.doubleValue();
        }
        throw new YamlError("yaml: cannot decode !!" + got + " `" + in + "` as a !!" + tag);
    }

    /** resolve.go for an untagged plain scalar. */
    Object resolvePlain(String in) {
        char first = in.isEmpty() ? 0 : in.charAt(0);
        boolean sign = first == '+' || first == '-';
        boolean digit = first >= '0' && first <= '9';
        if (!in.isEmpty() && !sign && !digit && first != '.' && "yYnNtTfFoO~".indexOf(first) < 0) {
            return in;
        }
        Object known = RESOLVE_MAP.get(in);
        if (known != null) {
            return known;
        }
        if (first == '.') {
            Double f = goParseFloat(in);
            return f != null ? f : in;
        }
        if (!sign && !digit) {
            return in;
        }
        // Timestamps are tried first, but go-yaml returns a timestamp's text to interface{}: a string either way.
        String plain = in.replace("_", "");
        BigInteger n = GoStrconv.parseInt(plain, 0, build.go113());
        if (n == null) {
            n = GoStrconv.parseUint(plain, 0, build.go113());
        }
        if (n != null) {
            return n;
        }
        if ((build.yamlV224() ? FLOAT_NEW : FLOAT_OLD).matcher(plain).matches()) {
            Double f = goParseFloat(plain);
            if (f != null) {
                return f;
            }
        }
        if (plain.startsWith("0b")) {
            n = GoStrconv.parseInt(plain.substring(2), 2, false);
            return n != null ? n : orString(GoStrconv.parseUint(plain.substring(2), 2, false), in);
        }
        if (plain.startsWith("-0b")) {
            return orString(GoStrconv.parseInt("-" + plain.substring(3), 2, false), in);
        }
        return in;
    }

    private static Object orString(BigInteger n, String in) {
        return n != null ? n : in;
    }

    /** strconv.ParseFloat on decimal text: Go refuses an overflow (ErrRange), and underscores without a base prefix. */
    private static Double goParseFloat(String s) {
        if (!s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
            return null;
        }
        double d = Double.parseDouble(s);
        return Double.isInfinite(d) ? null : d;
    }
}
