package io.kubeaudit.sim;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * encoding/json.Marshal of the value YAMLToJSON builds: objects with their keys sorted (Go sorts map
 * keys), strings HTML-escaped as Go does, floats in Go's shortest form. NaN and infinities cannot be
 * written, as in Go ("json: unsupported value: NaN").
 */
final class GoJsonText {

    static final class UnsupportedValue extends Exception {
        UnsupportedValue(String message) {
            super(message);
        }
    }

    private GoJsonText() {
    }

    static byte[] marshal(Object value) throws UnsupportedValue {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object v, StringBuilder b) throws UnsupportedValue {
        if (v == GoYaml.NULL) {
            b.append("null");
        } else if (v instanceof String s) {
            string(s, b);
        } else if (v instanceof Boolean || v instanceof BigInteger) {
            b.append(v);
        } else if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new UnsupportedValue("json: unsupported value: " + (d.isNaN() ? "NaN" : d > 0 ? "+Inf" : "-Inf"));
            }
            b.append(formatFloat(d));
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                write(list.get(i), b);
            }
            b.append(']');
        } else {
            b.append('{');
            boolean first = true;
            // The maps come from GoYaml as TreeMaps: already in Go's sorted key order.
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string((String) e.getKey(), b);
                b.append(':');
                write(e.getValue(), b);
            }
            b.append('}');
        }
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** encoding/json's float64: 'f' between 1e-6 and 1e21, else 'e' with e-07 shortened to e-7. */
    static String formatFloat(double d) {
        double abs = Math.abs(d);
        if (abs == 0 || abs >= 1e-6 && abs < 1e21) {
            return plain(d);
        }
        String e = exponent(d, 2);
        return e.replaceFirst("e-0(\\d)$", "e-$1");
    }

    /** strconv.FormatFloat(f, 'g', -1, 32), as sigs.k8s.io/yaml writes a float map key. */
    static String formatFloat32(double d) {
        float f = (float) d;
        BigDecimal bd = new BigDecimal(Float.toString(f)).stripTrailingZeros();
        int exp = bd.precision() - 1 - bd.scale();
        return f != 0 && (exp < -4 || exp >= 6) ? exponent(Double.parseDouble(Float.toString(f)), 2) : plain(bd.doubleValue());
    }

    private static String plain(double d) {
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    private static String exponent(double d, int minDigits) {
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.valueOf(Math.abs(exp));
        while (e.length() < minDigits) {
            e = "0" + e;
        }
        return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
    }
}
