package io.kubeaudit.policy;

import io.kubeaudit.node.KubeVersion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How kube-apiserver's YAML reader (sigs.k8s.io/yaml over go-yaml v2) types one plain scalar: go-yaml v2's
 * resolve.go, YAML 1.1 rules, not SnakeYAML's. {@code y}, {@code n}, {@code on} are booleans, {@code 017}
 * and {@code 0x1F} integers, {@code 08} and {@code 1e3} floats, {@code ~} null. The resolver's branches are
 * reproduced in its order; Go's strconv parsing is reproduced for the forms it accepts. Timestamps are not
 * told apart: go-yaml hands a timestamp to sigs.k8s.io/yaml as its text, so it reaches JSON as a string.
 */
public final class GoYamlScalars {

    /** The JSON type a scalar reaches the decoder with. */
    public enum Kind { STRING, BOOL, INT, FLOAT, NULL }

    /** What the server reads: a kind and, for non-strings, the value as it will see it. */
    public record Reading(Kind kind, String value) {

        public boolean isString() {
            return kind == Kind.STRING;
        }

        /** "the boolean true", "the integer 15", "the number 1000", "null". */
        public String describe() {
            return switch (kind) {
                case STRING -> "the string \"" + value + "\"";
                case BOOL -> "the boolean " + value;
                case INT -> "the integer " + value;
                case FLOAT -> "the number " + value;
                case NULL -> "null";
            };
        }
    }

    /** The parts of a server build that change how scalars resolve. */
    public record Build(boolean v224Floats, boolean go113Prefixes) {

        public static final Build NEWEST = of(ServerVersionTable.NEWEST);

        public static Build of(KubeVersion server) {
            return new Build(ServerVersionTable.holds(ServerVersionTable.Fact.YAML_V224_FLOATS, server),
                    ServerVersionTable.holds(ServerVersionTable.Fact.GO113_NUMBER_PREFIXES, server));
        }
    }

    private static final Pattern FLOAT_V224 = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    private static final Pattern FLOAT_OLD = Pattern.compile("^[-+]?[0-9]*\\.?[0-9]+([eE][-+][0-9]+)?$");
    /** What Go's ParseFloat accepts of a string starting with '.' (no base prefix, so no underscores). */
    private static final Pattern DOT_FLOAT = Pattern.compile("^\\.[0-9]+([eE][-+]?[0-9]+)?$");
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Map<String, Reading> WORDS = words();

    private GoYamlScalars() {
    }

    /** resolve.go's resolveMap: the exact words it looks up before anything else. */
    private static Map<String, Reading> words() {
        Map<String, Reading> m = new HashMap<>();
        for (String s : new String[] {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
            m.put(s, new Reading(Kind.BOOL, "true"));
        }
        for (String s : new String[] {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
            m.put(s, new Reading(Kind.BOOL, "false"));
        }
        for (String s : new String[] {"", "~", "null", "Null", "NULL"}) {
            m.put(s, new Reading(Kind.NULL, "null"));
        }
        for (String s : new String[] {".nan", ".NaN", ".NAN"}) {
            m.put(s, new Reading(Kind.FLOAT, "NaN"));
        }
        for (String s : new String[] {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
            m.put(s, new Reading(Kind.FLOAT, "+Inf"));
        }
        for (String s : new String[] {"-.inf", "-.Inf", "-.INF"}) {
            m.put(s, new Reading(Kind.FLOAT, "-Inf"));
        }
        return Map.copyOf(m);
    }

    /** A plain (unquoted, untagged) scalar. */
    public static Reading plain(String in, Build build) {
        char hint = in.isEmpty() ? 'N' : hint(in.charAt(0));
        if (hint == 0) {
            return string(in);
        }
        Reading word = WORDS.get(in);
        if (word != null) {
            return word;
        }
        if (hint == '.') {
            return DOT_FLOAT.matcher(in).matches() ? finite(in).orElse(string(in)) : string(in);
        }
        if (hint != 'D' && hint != 'S') {
            return string(in);
        }
        String plain = in.replace("_", "");
        BigInteger i = parseInt(plain, 0, build.go113Prefixes());
        if (i == null) {
            i = parseUint(plain, 0, build.go113Prefixes());
        }
        if (i != null) {
            return new Reading(Kind.INT, i.toString());
        }
        if ((build.v224Floats() ? FLOAT_V224 : FLOAT_OLD).matcher(plain).matches()) {
            Optional<Reading> f = finite(plain);
            if (f.isPresent()) {
                return f.get();
            }
        }
        if (plain.startsWith("0b")) {
            BigInteger b = parseInt(plain.substring(2), 2, false);
            if (b == null) {
                b = parseUint(plain.substring(2), 2, false);
            }
            if (b != null) {
                return new Reading(Kind.INT, b.toString());
            }
        } else if (plain.startsWith("-0b")) {
            BigInteger b = parseInt("-" + plain.substring(3), 2, false);
            if (b != null) {
                return new Reading(Kind.INT, b.toString());
            }
        }
        return string(in);
    }

    private static Reading string(String in) {
        return new Reading(Kind.STRING, in);
    }

    /** resolve.go's resolveTable: the first character decides which branches are tried. */
    private static char hint(char c) {
        if (c == '+' || c == '-') {
            return 'S';
        }
        if (c >= '0' && c <= '9') {
            return 'D';
        }
        if ("yYnNtTfFoO~".indexOf(c) >= 0) {
            return 'M';
        }
        return c == '.' ? '.' : 0;
    }

    /** Go's ParseFloat of a decimal already matched by a float syntax; an overflow is an error there, so no float. */
    private static Optional<Reading> finite(String decimal) {
        double d = Double.parseDouble(decimal);
        if (Double.isInfinite(d)) {
            return Optional.empty();
        }
        String shown = d != 0 && (Math.abs(d) >= 1e21 || Math.abs(d) < 1e-6) ? Double.toString(d)
                : new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        return Optional.of(new Reading(Kind.FLOAT, shown));
    }

    /** strconv.ParseInt(s, base, 64); null on a syntax or range error. */
    static BigInteger parseInt(String s, int base, boolean go113) {
        if (s.isEmpty()) {
            return null;
        }
        boolean negative = s.charAt(0) == '-';
        String digits = s.charAt(0) == '+' || negative ? s.substring(1) : s;
        BigInteger u = parseUint(digits, base, go113);
        if (u == null) {
            return null;
        }
        BigInteger v = negative ? u.negate() : u;
        return v.compareTo(INT64_MIN) < 0 || v.compareTo(INT64_MAX) > 0 ? null : v;
    }

    /** strconv.ParseUint(s, base, 64): base 0 reads 0x (and from Go 1.13 0o, 0b) prefixes and a leading 0 as octal. */
    static BigInteger parseUint(String s, int base, boolean go113) {
        if (s.isEmpty()) {
            return null;
        }
        String digits = s;
        if (base == 0) {
            base = 10;
            if (s.charAt(0) == '0') {
                char p = s.length() >= 3 ? Character.toLowerCase(s.charAt(1)) : 0;
                if (p == 'x' || go113 && (p == 'o' || p == 'b')) {
                    base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                    digits = s.substring(2);
                } else {
                    base = 8;
                    digits = s.substring(1);
                }
            }
        }
        BigInteger n = BigInteger.ZERO;
        for (char c : digits.toCharArray()) {
            int d = Character.digit(c, 36);
            if (d < 0 || d >= base || c > 'z') {
                return null;
            }
            n = n.multiply(BigInteger.valueOf(base)).add(BigInteger.valueOf(d));
        }
        return n.compareTo(UINT64_MAX) > 0 ? null : n;
    }
}
