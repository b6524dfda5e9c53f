package io.kubeaudit.ship;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.kubeaudit.tail.ByteSearch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds where annotations can be added to an event without parsing it.
 *
 * <p>The API server writes {@code annotations} as the last member of an Event (Go struct order), so
 * the fast path reads the event backwards from its closing brace over one flat string map; that costs
 * the size of the annotations, not of the event. An event without the byte sequence
 * {@code "annotations"} anywhere gets a new member. Only an event that has the word but not as its
 * last member (a re-serialised capture with sorted keys, or a request body carrying object
 * annotations) is parsed, with Jackson's streaming parser, which also rejects invalid JSON.
 */
final class AnnotationLocator {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] KEY = "\"annotations\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WORD = "annotations".getBytes(StandardCharsets.US_ASCII);
    /** Boyer-Moore-Horspool shifts for {@link #KEY}: how far the window may move given its last byte. */
    private static final int[] SHIFT = shifts(KEY);

    private AnnotationLocator() {
    }

    /** @param event a line that passed {@link JsonShape#whyNotAnObject} */
    static Placement locate(byte[] event) throws InvalidEventException {
        int open = JsonShape.firstNonSpace(event);
        int close = JsonShape.lastNonSpace(event);
        int beforeClose = JsonShape.previousNonSpace(event, close - 1);
        if (beforeClose == open) {
            return new Placement(event, Placement.Kind.NEW_MEMBER, close, true);
        }
        if (event[beforeClose] == '}') {
            int mapOpen = flatStringMapStart(event, beforeClose);
            if (mapOpen > open && isAnnotationsMember(event, open, mapOpen)) {
                boolean empty = JsonShape.nextNonSpace(event, mapOpen + 1) == beforeClose;
                return new Placement(event, Placement.Kind.INTO_OBJECT, mapOpen + 1, empty);
            }
        }
        if (indexOfKey(event, open, close) < 0) {
            return new Placement(event, Placement.Kind.NEW_MEMBER, close, false);
        }
        return parse(event, close);
    }

    /** Is the object opening at {@code mapOpen} the value of a top-level member named annotations? */
    private static boolean isAnnotationsMember(byte[] b, int eventOpen, int mapOpen) {
        int colon = JsonShape.previousNonSpace(b, mapOpen - 1);
        if (colon <= eventOpen || b[colon] != ':') {
            return false;
        }
        int keyEnd = JsonShape.previousNonSpace(b, colon - 1);
        int keyStart = keyEnd - WORD.length - 1;
        if (keyStart <= eventOpen || b[keyEnd] != '"' || b[keyStart] != '"' || isEscaped(b, keyStart)) {
            return false;
        }
        for (int i = 0; i < WORD.length; i++) {
            if (b[keyStart + 1 + i] != WORD[i]) {
                return false;
            }
        }
        // The member just before the event's closing brace is top-level: what precedes its key is ',' or the event's '{'.
        int separator = JsonShape.previousNonSpace(b, keyStart - 1);
        return separator == eventOpen || b[separator] == ',';
    }

    /**
     * Reads backwards from the '}' at {@code close} over {@code {"k":"v",...}} and returns the index of
     * its '{', or -1 when the object is anything else (then the caller looks further).
     */
    static int flatStringMapStart(byte[] b, int close) {
        int i = JsonShape.previousNonSpace(b, close - 1);
        if (i < 0) {
            return -1;
        }
        if (b[i] == '{') {
            return i;
        }
        while (true) {
            if (b[i] != '"') {
                return -1;
            }
            i = openingQuote(b, i);
            if (i < 0) {
                return -1;
            }
            i = JsonShape.previousNonSpace(b, i - 1);
            if (i < 0 || b[i] != ':') {
                return -1;
            }
            i = JsonShape.previousNonSpace(b, i - 1);
            if (i < 0 || b[i] != '"') {
                return -1;
            }
            i = openingQuote(b, i);
            if (i < 0) {
                return -1;
            }
            i = JsonShape.previousNonSpace(b, i - 1);
            if (i < 0) {
                return -1;
            }
            if (b[i] == '{') {
                return i;
            }
            if (b[i] != ',') {
                return -1;
            }
            i = JsonShape.previousNonSpace(b, i - 1);
            if (i < 0) {
                return -1;
            }
        }
    }

    /** The quote that opens the string closed by the quote at {@code closing}: the nearest unescaped one before it. */
    private static int openingQuote(byte[] b, int closing) {
        int j = closing;
        do {
            j = ByteSearch.lastIndexOf(b, (byte) '"', 0, j - 1);
        } while (j >= 0 && isEscaped(b, j));
        return j;
    }

    /** Inside a JSON string a quote is escaped exactly when an odd number of backslashes precedes it. */
    private static boolean isEscaped(byte[] b, int quote) {
        int backslashes = 0;
        for (int j = quote - 1; j >= 0 && b[j] == '\\'; j--) {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }

    private static int[] shifts(byte[] needle) {
        int[] shift = new int[256];
        Arrays.fill(shift, needle.length);
        for (int i = 0; i < needle.length - 1; i++) {
            shift[needle[i] & 0xff] = needle.length - 1 - i;
        }
        return shift;
    }

    /**
     * Where {@code "annotations"} first occurs in {@code b[from, to)}, or -1. Horspool's search looks at
     * about one byte in eight here (a plain scan anchored on '"' stops at every JSON string), which matters:
     * it runs over every event that has no annotations.
     */
    static int indexOfKey(byte[] b, int from, int to) {
        int last = KEY.length - 1;
        int i = from;
        while (i + last < to) {
            byte end = b[i + last];
            if (end == KEY[last]) {
                int k = last - 1;
                while (k >= 0 && b[i + k] == KEY[k]) {
                    k--;
                }
                if (k < 0) {
                    return i;
                }
            }
            i += SHIFT[end & 0xff];
        }
        return -1;
    }

    /** The slow path: a streaming parse of the top level, which stops at the annotations member. */
    private static Placement parse(byte[] event, int close) throws InvalidEventException {
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("not a JSON object");
            }
            int members = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                members++;
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("annotations")) {
                    int at = (int) p.currentTokenLocation().getByteOffset();
                    if (value == JsonToken.START_OBJECT) {
                        return new Placement(event, Placement.Kind.INTO_OBJECT, at + 1, p.nextToken() == JsonToken.END_OBJECT);
                    }
                    if (value == JsonToken.VALUE_NULL) {
                        return replaceNull(event, at);
                    }
                    return new Placement(event, Placement.Kind.NONE, 0, false);
                }
                p.skipChildren();
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new InvalidEventException("not a JSON object: unexpected " + p.currentToken());
            }
            return new Placement(event, Placement.Kind.NEW_MEMBER, close, members == 0);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory event cannot fail", e);
        }
    }

    /** {@code "annotations":null} becomes {@code "annotations":{}} so there is an object to add to. */
    private static Placement replaceNull(byte[] event, int nullAt) {
        byte[] copy = new byte[event.length - 2];
        System.arraycopy(event, 0, copy, 0, nullAt);
        copy[nullAt] = '{';
        copy[nullAt + 1] = '}';
        System.arraycopy(event, nullAt + 4, copy, nullAt + 2, event.length - nullAt - 4);
        return new Placement(copy, Placement.Kind.INTO_OBJECT, nullAt + 1, true);
    }
}
