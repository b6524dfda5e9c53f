package io.kubeaudit.ship.opensearch;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The destination's {@code index} setting, such as {@code k8s-audit-%Y.%m.%d}: the index an event goes to, from
 * the event's own time in UTC ({@code requestReceivedTimestamp}), never the wall clock, so a backlog shipped
 * tomorrow lands in yesterday's index and a resend lands where the first attempt went (an {@code _id} is unique
 * only within one index). Tokens: {@code %Y} year, {@code %m} month, {@code %d} day, {@code %H} hour, {@code %%} a
 * percent sign.
 */
public final class IndexPattern {

    /** Where a line without any time of its own goes (not an audit event): fixed, so that its resend finds it. */
    static final String UNDATED = "1970-01-01T00:00:00Z";

    private sealed interface Part permits Literal, Field {
    }

    private record Literal(String text) implements Part {
    }

    /** A date field: where it starts in an RFC 3339 UTC time and how many digits it has. */
    private record Field(int offset, int length) implements Part {
    }

    private record Rendered(String hour, String index) {
    }

    private final String pattern;
    private final List<Part> parts;
    private final boolean dated;
    /** The last name rendered: events come in time order, so it is nearly always the one wanted. */
    private volatile Rendered last = new Rendered("", "");

    private IndexPattern(String pattern, List<Part> parts) {
        this.pattern = pattern;
        this.parts = List.copyOf(parts);
        this.dated = parts.stream().anyMatch(p -> p instanceof Field);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong: an unknown token, or a character or form that
     *                                  OpenSearch and Elasticsearch refuse in an index name
     */
    public static IndexPattern parse(String pattern) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i + 1 == pattern.length()) {
                throw new IllegalArgumentException("index \"" + pattern + "\" ends with a lone %; write %% for a percent sign");
            }
            char token = pattern.charAt(++i);
            Field field = switch (token) {
                case 'Y' -> new Field(0, 4);
                case 'm' -> new Field(5, 2);
                case 'd' -> new Field(8, 2);
                case 'H' -> new Field(11, 2);
                case '%' -> null;
                default -> throw new IllegalArgumentException("index \"" + pattern + "\" has %" + token
                        + "; the tokens are %Y, %m, %d, %H (the event's requestReceivedTimestamp, UTC) and %%");
            };
            if (field == null) {
                literal.append('%');
                continue;
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            parts.add(field);
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        IndexPattern p = new IndexPattern(pattern, parts);
        checkName(pattern, p.render(UNDATED));
        return p;
    }

    /** The index for an event whose time is {@code timestamp} (RFC 3339; {@code ""} when it has none). */
    public String index(String timestamp) {
        if (!dated) {
            return ((Literal) parts.get(0)).text();
        }
        String utc = utc(timestamp);
        String hour = utc.substring(0, 13);
        Rendered r = last;
        if (!r.hour.equals(hour)) {
            r = new Rendered(hour, render(utc));
            last = r;
        }
        return r.index;
    }

    /** The index patterns the template covers: each date token becomes {@code *}. */
    public String templatePattern() {
        StringBuilder s = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal l) {
                s.append(l.text());
            } else if (s.isEmpty() || s.charAt(s.length() - 1) != '*') {
                s.append('*');
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private String render(String utc) {
        StringBuilder s = new StringBuilder(pattern.length() + 8);
        for (Part part : parts) {
            if (part instanceof Literal l) {
                s.append(l.text());
            } else {
                Field f = (Field) part;
                s.append(utc, f.offset(), f.offset() + f.length());
            }
        }
        return s.toString();
    }

    /**
     * The time as {@code YYYY-MM-DDTHH...} in UTC. The API server writes UTC with a Z, which is taken as it is;
     * another offset is converted; a time that is not RFC 3339 counts as none.
     */
    static String utc(String timestamp) {
        if (isUtcRfc3339(timestamp)) {
            return timestamp;
        }
        try {
            return OffsetDateTime.parse(timestamp).withOffsetSameInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            return UNDATED;
        }
    }

    private static boolean isUtcRfc3339(String t) {
        if (t.length() < 20 || t.charAt(t.length() - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
                || (t.charAt(10) != 'T' && t.charAt(10) != 't') || t.charAt(13) != ':') {
            return false;
        }
        for (int i : new int[] {0, 1, 2, 3, 5, 6, 8, 9, 11, 12}) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The index name rules both servers apply (Elasticsearch's MetadataCreateIndexService, OpenSearch's fork). */
    private static void checkName(String pattern, String example) {
        String why = null;
        if (example.isEmpty()) {
            why = "is empty";
        } else if (!example.equals(example.toLowerCase(Locale.ROOT))) {
            why = "has upper-case letters";
        } else if (example.startsWith("-") || example.startsWith("_") || example.startsWith("+")) {
            why = "starts with " + example.charAt(0);
        } else if (example.equals(".") || example.equals("..")) {
            why = "is . or ..";
        } else if (example.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            why = "is longer than 255 bytes";
        } else {
            for (char c : new char[] {'\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'}) {
                if (example.indexOf(c) >= 0) {
                    why = "contains '" + c + "'";
                    break;
                }
            }
        }
        if (why != null) {
            throw new IllegalArgumentException("index \"" + pattern + "\" gives index names such as \"" + example + "\", which "
                    + why + ": OpenSearch and Elasticsearch refuse that");
        }
    }
}
