package io.kubeaudit.log;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One line per event on stderr, for journald: {@code LEVEL [phase] message key=value ...}.
 *
 * <p>Use a fixed message and put what varies into fields ({@code log.warn("ship/send", "batch rejected",
 * "destination", name, "status", 400)}): the message is what repeats are counted by. A message that
 * repeats more than {@link #BURST} times within {@link #WINDOW} is suppressed; the next line after the
 * window carries {@code suppressed=N}. A loop that meets the same problem again and again (a
 * destination down, a file missing) uses {@link #warnLimited}/{@link #errorLimited} with a key (the
 * destination, the file): one line per {@link #REPEAT_WINDOW} for that message and key, the repeats in
 * between counted on the next line. Secrets never reach the line (see {@link Redactor}).
 *
 * <p>Under systemd (JOURNAL_STREAM set) each line starts with the syslog priority ({@code <4>}) so
 * journald records the level and {@code journalctl -p warning} works; the timestamp is journald's.
 * Elsewhere each line starts with an ISO timestamp. Thread-safe: one lock around counting and printing.
 */
public final class Log {

    /** Identical messages allowed per window before suppression: enough to see a pattern, few enough not to flood. */
    static final int BURST = 5;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Long enough that a retry loop prints a handful of lines a minute, short enough to see recovery quickly. */
    static final Duration REPEAT_WINDOW = Duration.ofSeconds(10);
    private static final Limit ANY_MESSAGE = new Limit(BURST, WINDOW);
    private static final Limit PER_KEY = new Limit(1, REPEAT_WINDOW);
    /** Distinct messages remembered for rate limiting; the oldest is forgotten first. */
    private static final int MAX_TRACKED = 1000;

    public enum Level {
        DEBUG(7), INFO(6), WARN(4), ERROR(3);

        private final int syslogPriority;

        Level(int syslogPriority) {
            this.syslogPriority = syslogPriority;
        }
    }

    private static final Log STDERR = new Log(System.err, InstantSource.system(),
            System.getenv("JOURNAL_STREAM") != null, debugEnabled());

    private final PrintStream out;
    private final InstantSource clock;
    private final boolean journald;
    private final boolean debug;
    /** Guarded by {@code this}. */
    private final Map<String, Repeats> repeats = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Repeats> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    public Log(PrintStream out, InstantSource clock, boolean journald, boolean debug) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journald = journald;
        this.debug = debug;
    }

    /** The process-wide log on stderr; KUBE_AUDIT_AGENT_DEBUG turns on debug lines. */
    public static Log stderr() {
        return STDERR;
    }

    private static boolean debugEnabled() {
        return System.getenv("KUBE_AUDIT_AGENT_DEBUG") != null;
    }

    public void debug(String phase, String message, Object... fields) {
        if (debug) {
            log(Level.DEBUG, phase, message, fields);
        }
    }

    public void info(String phase, String message, Object... fields) {
        log(Level.INFO, phase, message, fields);
    }

    public void warn(String phase, String message, Object... fields) {
        log(Level.WARN, phase, message, fields);
    }

    public void error(String phase, String message, Object... fields) {
        log(Level.ERROR, phase, message, fields);
    }

    /** Like {@link #warn}, but at most one line per {@link #REPEAT_WINDOW} for this message and {@code key}. */
    public void warnLimited(String phase, String message, String key, Object... fields) {
        log(Level.WARN, phase, message, '\u0000' + key, PER_KEY, fields);
    }

    /** Like {@link #error}, but at most one line per {@link #REPEAT_WINDOW} for this message and {@code key}. */
    public void errorLimited(String phase, String message, String key, Object... fields) {
        log(Level.ERROR, phase, message, '\u0000' + key, PER_KEY, fields);
    }

    /**
     * Logs one event. {@code fields} alternate key and value; a {@link Throwable} value prints its
     * message (stack traces do not fit one line; the caller decides what the reader needs).
     */
    public void log(Level level, String phase, String message, Object... fields) {
        log(level, phase, message, "", ANY_MESSAGE, fields);
    }

    /** @param counted what repeats are counted by besides level, phase and message: empty, or a NUL and the caller's key */
    private void log(Level level, String phase, String message, String counted, Limit limit, Object... fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields must alternate key and value, got " + fields.length + " items");
        }
        Instant now = clock.instant();
        String key = level + "|" + phase + "|" + message + counted;
        synchronized (this) {
            Repeats r = repeats.computeIfAbsent(key, k -> new Repeats(now, limit));
            long suppressed = r.admit(now);
            if (suppressed < 0) {
                return;
            }
            out.println(format(level, phase, message, fields, suppressed, now));
        }
    }

    String format(Level level, String phase, String message, Object[] fields, long suppressed, Instant now) {
        StringBuilder line = new StringBuilder(128);
        if (journald) {
            line.append('<').append(level.syslogPriority).append('>');
        } else {
            line.append(now).append(' ');
        }
        line.append(level.name()).append(" [").append(phase).append("] ").append(oneLine(Redactor.text(message)));
        for (int i = 0; i < fields.length; i += 2) {
            String k = String.valueOf(fields[i]);
            line.append(' ').append(k).append('=').append(quote(Redactor.field(k, render(fields[i + 1]))));
        }
        if (suppressed > 0) {
            line.append(" suppressed=").append(suppressed);
        }
        return line.toString();
    }

    private static String render(Object value) {
        if (value instanceof Throwable t) {
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        return String.valueOf(value);
    }

    private static String oneLine(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    /** Plain tokens stay bare; anything a reader could split wrongly is quoted with escapes. */
    static String quote(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 127)) {
            return value;
        }
        StringBuilder q = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < ' ' || c == 127) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** How many lines of one message (and key) may be printed per window. */
    private record Limit(int burst, Duration window) {
    }

    /** Counts one message within its window. Guarded by the owning Log. */
    private static final class Repeats {
        private final Limit limit;
        private Instant windowStart;
        private int inWindow;
        private long suppressed;

        Repeats(Instant now, Limit limit) {
            this.windowStart = now;
            this.limit = limit;
        }

        /** @return -1 to drop this line, else the number of lines suppressed before it (to report) */
        long admit(Instant now) {
            if (!now.isBefore(windowStart.plus(limit.window()))) {
                windowStart = now;
                inWindow = 0;
            }
            if (inWindow >= limit.burst()) {
                suppressed++;
                return -1;
            }
            inWindow++;
            long report = suppressed;
            suppressed = 0;
            return report;
        }
    }
}
