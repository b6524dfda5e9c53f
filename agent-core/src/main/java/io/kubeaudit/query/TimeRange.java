package io.kubeaudit.query;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When events were received: {@code from} included, {@code to} excluded. An event's time is its
 * {@code requestReceivedTimestamp} (v1beta1: {@code timestamp}); an event without one is outside
 * every bounded range.
 */
public record TimeRange(Optional<Instant> from, Optional<Instant> to) {

    public static final TimeRange ALWAYS = new TimeRange(Optional.empty(), Optional.empty());
    private static final Pattern AGO = Pattern.compile("(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    public boolean isBounded() {
        return from.isPresent() || to.isPresent();
    }

    boolean contains(AuditEvent event) {
        if (!isBounded()) {
            return true;
        }
        Optional<Instant> at = event.receivedAt().or(event::stageAt);
        return at.isPresent() && from.map(f -> !at.get().isBefore(f)).orElse(true) && to.map(t -> at.get().isBefore(t)).orElse(true);
    }

    /**
     * A point in time as people type it: RFC 3339 ({@code 2026-11-26T12:00:00Z}, with an offset, or
     * fractions), a UTC date ({@code 2026-11-26}), {@code now}, or a time ago: {@code 90s}, {@code 15m},
     * {@code 2h}, {@code 1d}, {@code 1w}, {@code 1h30m}.
     */
    public static Instant parse(String text, Instant now) throws InvalidFilterException {
        String t = text.strip();
        if (t.equals("now")) {
            return now;
        }
        Optional<Duration> ago = ago(t);
        if (ago.isPresent()) {
            return now.minus(ago.get());
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new InvalidFilterException("time \"" + text + "\" is neither RFC 3339 (2026-11-26T12:00:00Z),"
                        + " a date (2026-11-26), now, nor a time ago (90s, 15m, 2h, 1d, 1w, 1h30m)");
            }
        }
    }

    /** A time ago as {@link #parse} takes it, when {@code text} is one. */
    public static Optional<Duration> ago(String text) {
        Matcher m = AGO.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        long[] perUnit = {7 * 86400L, 86400L, 3600L, 60L, 1L};
        long seconds = 0;
        for (int i = 0; i < perUnit.length; i++) {
            if (m.group(i + 1) != null) {
                seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(m.group(i + 1)), perUnit[i]));
            }
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }
}
