package io.kubeaudit.simulate;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the members of a JSON object are in a line, found by scanning characters: the test's own way to the
 * bytes of bodies and of managedFields, independent of the parser's token offsets.
 */
final class Spans {

    private Spans() {
    }

    /** The top-level object's members: key to {keyStart, valueEnd, valueStart} (character indexes). */
    static Map<String, long[]> members(String json) {
        return members(json, skipSpace(json, 0));
    }

    /** Bytes of every metadata.managedFields member (with one comma) in the body at {@code at}, items of a list included. */
    static long managedFieldsBytes(String json, int at) {
        if (json.charAt(at) != '{') {
            return 0;
        }
        long total = 0;
        Map<String, long[]> body = members(json, at);
        long[] metadata = body.get("metadata");
        if (metadata != null && json.charAt((int) metadata[2]) == '{') {
            long[] managed = members(json, (int) metadata[2]).get("managedFields");
            if (managed != null) {
                total += json.substring((int) managed[0], (int) managed[1]).getBytes(StandardCharsets.UTF_8).length + 1;
            }
        }
        long[] items = body.get("items");
        if (items != null && json.charAt((int) items[2]) == '[') {
            int i = skipSpace(json, (int) items[2] + 1);
            while (json.charAt(i) != ']') {
                total += managedFieldsBytes(json, i);
                i = skipSpace(json, skipValue(json, i));
                if (json.charAt(i) == ',') {
                    i = skipSpace(json, i + 1);
                }
            }
        }
        return total;
    }

    private static Map<String, long[]> members(String json, int at) {
        Map<String, long[]> members = new LinkedHashMap<>();
        int i = skipSpace(json, at + 1);
        while (json.charAt(i) != '}') {
            int keyStart = i;
            int keyEnd = skipString(json, i);
            String key = json.substring(keyStart + 1, keyEnd - 1);
            i = skipSpace(json, keyEnd);
            i = skipSpace(json, i + 1); // the colon
            int valueStart = i;
            int valueEnd = skipValue(json, i);
            members.put(key, new long[] {keyStart, valueEnd, valueStart});
            i = skipSpace(json, valueEnd);
            if (json.charAt(i) == ',') {
                i = skipSpace(json, i + 1);
            }
        }
        return members;
    }

    private static int skipValue(String json, int i) {
        char c = json.charAt(i);
        if (c == '"') {
            return skipString(json, i);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int j = i; ; j++) {
                char d = json.charAt(j);
                if (d == '"') {
                    j = skipString(json, j) - 1;
                } else if (d == '{' || d == '[') {
                    depth++;
                } else if ((d == '}' || d == ']') && --depth == 0) {
                    return j + 1;
                }
            }
        }
        int j = i;
        while (j < json.length() && ",}] \t".indexOf(json.charAt(j)) < 0) {
            j++;
        }
        return j;
    }

    /** The index after the closing quote of the string starting at {@code i}. */
    private static int skipString(String json, int i) {
        for (int j = i + 1; ; j++) {
            char c = json.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j + 1;
            }
        }
    }

    private static int skipSpace(String json, int i) {
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }
}
