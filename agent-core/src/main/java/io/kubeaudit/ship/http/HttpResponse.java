package io.kubeaudit.ship.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A complete answer: status, headers (names in lower case, first value), and the body's first bytes
 * (as many as the transport keeps; the rest was read and dropped). Only a response read to its end
 * gets here: a cut-off one is an {@link IncompleteResponseException}.
 *
 * @param bodyLength bytes the body had in all
 * @param receivedAt when it came (Retry-After dates are relative to it)
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body, long bodyLength, Instant receivedAt) {

    /** Enough of a body to tell a person why (it goes into logs and dead-letter records). */
    public static final int EXCERPT_CHARS = 200;

    public HttpResponse {
        headers = Map.copyOf(headers);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String contentType() {
        return header("Content-Type").orElse("");
    }

    /** The body kept, as text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body's first line, shortened: what a log line or a reason shows. */
    public String excerpt() {
        String line = text().strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl).strip();
        }
        return line.length() > EXCERPT_CHARS ? line.substring(0, EXCERPT_CHARS) + "..." : line;
    }

    /**
     * Retry-After as delay-seconds or an HTTP-date (RFC 9110 10.2.3); anything else is ignored. A date
     * in the past comes out as zero or negative: the caller keeps its own backoff then.
     */
    public Optional<Duration> retryAfter() {
        Optional<String> value = header("Retry-After").map(String::trim).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.chars().allMatch(Character::isDigit)) {
            return Optional.of(v.length() > 9 ? Duration.ofDays(365) : Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            return Optional.of(Duration.between(receivedAt, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
