package io.kubeaudit.ship;

/**
 * The hot-path test for "is this line one JSON object?": it looks only at the bytes near both ends,
 * so it costs the same for a 1 KB and a 5 MB event. It catches what real logs contain (blank lines,
 * pretty-printed JSON split over lines, text, truncated lines, arrays); a line that passes it but
 * still is not valid JSON is caught where a full parse happens anyway (enrichment's slow path, trimming)
 * or when a destination rejects its batch ({@link BatchDelivery} then parses each event of that batch).
 */
final class JsonShape {

    private JsonShape() {
    }

    /** Null when {@code line} looks like one JSON object; otherwise the reason, for the dead-letter record. */
    static String whyNotAnObject(byte[] line) {
        int first = firstNonSpace(line);
        if (first < 0) {
            return "empty line";
        }
        if (line[first] != '{') {
            return "not a JSON object: starts with " + describe(line[first]);
        }
        int last = lastNonSpace(line);
        if (line[last] != '}' || last == first) {
            return "not a JSON object: ends with " + describe(line[last]) + " (truncated, or JSON spread over several lines)";
        }
        int afterOpen = nextNonSpace(line, first + 1);
        if (line[afterOpen] != '"' && afterOpen != last) {
            return "not a JSON object: '{' is followed by " + describe(line[afterOpen]) + ", not a key";
        }
        int beforeClose = previousNonSpace(line, last - 1);
        if (!canEndValue(line[beforeClose])) {
            return "not a JSON object: the last member ends with " + describe(line[beforeClose]);
        }
        return null;
    }

    /** A JSON value ends with a quote, a bracket, a digit, or the last letter of true/false/null; '{' is an empty object. */
    private static boolean canEndValue(byte b) {
        return b == '"' || b == '}' || b == ']' || b == '{' || (b >= '0' && b <= '9') || b == 'e' || b == 'l';
    }

    static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    static int firstNonSpace(byte[] b) {
        return nextNonSpace(b, 0);
    }

    static int lastNonSpace(byte[] b) {
        return previousNonSpace(b, b.length - 1);
    }

    /** The first index at or after {@code from} that is not whitespace, or -1. */
    static int nextNonSpace(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (!isSpace(b[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The last index at or before {@code from} that is not whitespace, or -1. */
    static int previousNonSpace(byte[] b, int from) {
        for (int i = from; i >= 0; i--) {
            if (!isSpace(b[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(byte b) {
        return b >= ' ' && b < 127 ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }
}
