package io.kubeaudit.ship;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.kubeaudit.log.Redactor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The secrets a destination sends (its bearer token, its header values), masked in everything the
 * destination answers before the answer is logged or kept in a dead-letter record: a 400 or 401 page
 * that echoes the request would otherwise store the credential next to the events. The token is the
 * one read last, so a rotated token is masked too. Then {@link Redactor}'s patterns, as in logs.
 */
final class KnownSecrets {

    /** Shorter header values ({@code 1}, {@code on}) are not credentials; masking them would garble every answer. */
    static final int MIN_LENGTH = 4;

    private final List<String> fixed;
    private final Optional<BearerToken> token;

    KnownSecrets(Collection<String> headerValues, Optional<BearerToken> token) {
        List<String> values = new ArrayList<>();
        for (String v : headerValues) {
            addWithJsonForm(values, v);
        }
        this.fixed = List.copyOf(values);
        this.token = token;
    }

    String redact(String text) {
        String s = text;
        for (String secret : fixed) {
            s = s.replace(secret, Redactor.MASK);
        }
        if (token.isPresent()) {
            List<String> current = new ArrayList<>();
            token.get().lastToken().ifPresent(t -> addWithJsonForm(current, t));
            for (String secret : current) {
                s = s.replace(secret, Redactor.MASK);
            }
        }
        return Redactor.text(s);
    }

    HttpPost.Response redact(HttpPost.Response r) {
        return r.body().isEmpty() ? r : new HttpPost.Response(r.status(), r.retryAfter(), redact(r.body()));
    }

    /** The value as sent, and as a JSON answer would quote it back. */
    private static void addWithJsonForm(List<String> into, String value) {
        String v = value.strip();
        if (v.length() < MIN_LENGTH) {
            return;
        }
        into.add(v);
        String json = new String(JsonStringEncoder.getInstance().quoteAsString(v));
        if (!json.equals(v)) {
            into.add(json);
        }
    }
}
