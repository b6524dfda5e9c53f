package io.kubeaudit.ship;

import java.io.PrintStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One line per event: {@code time=... level=WARN event=retry destination=siem status=503 ...}.
 * A repeat of the same (event, key) within {@link #REPEAT_WINDOW} is counted instead of printed and
 * the count rides on the next printed line, so an outage of hours does not flood the journal.
 * Callers never pass credentials: there is no field for them, and URLs are logged without userinfo.
 */
public final class ShipLog {

    /** Long enough that a retry loop prints a handful of lines a minute, short enough to see recovery quickly. */
    static final Duration REPEAT_WINDOW = Duration.ofSeconds(10);

    enum Level { INFO, WARN, ERROR }

    private final PrintStream out;
    private final InstantSource clock;
    private final Map<String, Repeats> repeats = new ConcurrentHashMap<>();

    public ShipLog(PrintStream out, InstantSource clock) {
        this.out = out;
        this.clock = clock;
    }

    void info(String event, Object... keyValues) {
        print(Level.INFO, event, keyValues);
    }

    void warn(String event, Object... keyValues) {
        print(Level.WARN, event, keyValues);
    }

    void error(String event, Object... keyValues) {
        print(Level.ERROR, event, keyValues);
    }

    /** Like {@link #warn} but at most once per {@link #REPEAT_WINDOW} for this event and key. */
    void warnLimited(String event, String key, Object... keyValues) {
        limited(Level.WARN, event, key, keyValues);
    }

    void errorLimited(String event, String key, Object... keyValues) {
        limited(Level.ERROR, event, key, keyValues);
    }

    private void limited(Level level, String event, String key, Object... keyValues) {
        long now = clock.millis();
        Repeats r = repeats.computeIfAbsent(event + '\u0000' + key, k -> new Repeats());
        long suppressed;
        synchronized (r) {
            if (r.lastPrinted != Long.MIN_VALUE && now - r.lastPrinted < REPEAT_WINDOW.toMillis()) {
                r.suppressed++;
                return;
            }
            suppressed = r.suppressed;
            r.suppressed = 0;
            r.lastPrinted = now;
        }
        if (suppressed == 0) {
            print(level, event, keyValues);
            return;
        }
        Object[] withCount = Arrays.copyOf(keyValues, keyValues.length + 2);
        withCount[keyValues.length] = "repeatsSuppressed";
        withCount[keyValues.length + 1] = suppressed;
        print(level, event, withCount);
    }

    private void print(Level level, String event, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in key/value pairs, found " + keyValues.length + " items for " + event);
        }
        StringBuilder line = new StringBuilder(128);
        line.append("time=").append(clock.instant()).append(" level=").append(level).append(" event=").append(event);
        for (int i = 0; i < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quote(String.valueOf(keyValues[i + 1])));
        }
        out.println(line);
    }

    static String quote(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c < 127;
        }
        if (plain) {
            return value;
        }
        StringBuilder q = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> q.append(c < ' ' ? ' ' : c);
            }
        }
        return q.append('"').toString();
    }

    private static final class Repeats {
        long lastPrinted = Long.MIN_VALUE;
        long suppressed;
    }
}
