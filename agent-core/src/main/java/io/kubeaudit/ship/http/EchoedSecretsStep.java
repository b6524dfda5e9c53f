package io.kubeaudit.ship.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.kubeaudit.log.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Masks, in an answer that is not a success, the secrets its request carried (the credential in the
 * Authorization header, the configured header values) before the answer reaches a log line or a
 * dead-letter record: a 400 or 401 page that echoes the request would otherwise store the credential
 * next to the events. It sits after the steps that add them, so it masks what was really sent (a
 * rotated token too); then {@link Redactor}'s patterns, as in logs. Success answers are parsed, not
 * shown, and can be megabytes: they pass untouched.
 */
public final class EchoedSecretsStep implements HttpStep {

    /** Shorter values ({@code 1}, {@code on}) are not credentials; masking them would garble every answer. */
    static final int MIN_LENGTH = 4;

    private final Set<String> secretHeaders;

    /** @param configuredHeaders the names of the destination's {@code headers}; Authorization is always one */
    public EchoedSecretsStep(Collection<String> configuredHeaders) {
        this.secretHeaders = configuredHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    @Override
    public HttpResponse proceed(HttpRequest request, Chain next) throws IOException {
        HttpResponse response = next.proceed(request);
        if (response.isSuccess() || response.body().length == 0) {
            return response;
        }
        String masked = mask(response.text(), secretsOf(request.headers()));
        return new HttpResponse(response.status(), response.headers(), masked.getBytes(StandardCharsets.UTF_8),
                response.bodyLength(), response.receivedAt());
    }

    private List<String> secretsOf(Map<String, String> headers) {
        List<String> secrets = new ArrayList<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization")) {
                credentialOf(value, secrets);
            } else if (secretHeaders.contains(lower)) {
                secrets.add(value);
            }
        });
        return secrets;
    }

    /** The part after the scheme, so an echo reads "Bearer <redacted>"; for Basic also the decoded user:password and password. */
    private static void credentialOf(String authorization, List<String> into) {
        int space = authorization.indexOf(' ');
        String credential = space < 0 ? authorization : authorization.substring(space + 1);
        into.add(credential);
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(credential.strip()), StandardCharsets.UTF_8);
                into.add(decoded);
                into.add(decoded.substring(decoded.indexOf(':') + 1));
            } catch (IllegalArgumentException e) {
                // Not base64 after all: the value as sent is masked above, which is all there is.
            }
        }
    }

    /** Each secret as sent and as a JSON answer quotes it, then the log redactor's patterns. */
    static String mask(String text, Collection<String> secrets) {
        String s = text;
        for (String secret : secrets) {
            String v = secret.strip();
            if (v.length() < MIN_LENGTH) {
                continue;
            }
            String json = new String(JsonStringEncoder.getInstance().quoteAsString(v));
            s = s.replace(v, Redactor.MASK);
            if (!json.equals(v)) {
                s = s.replace(json, Redactor.MASK);
            }
        }
        return Redactor.text(s);
    }
}
