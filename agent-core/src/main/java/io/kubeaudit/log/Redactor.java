package io.kubeaudit.log;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of log lines: a field whose name says it holds a secret is replaced whole, and
 * secrets that appear inside text (an Authorization header echoed in an error, a URL with a
 * password, {@code token=...}) are masked in place. Public so anything that prints (results,
 * errors) can use the same rules.
 */
public final class Redactor {

    public static final String MASK = "<redacted>";

    private static final List<String> SECRET_NAMES = List.of("token", "password", "passwd", "secret", "authorization",
            "apikey", "api_key", "api-key", "credential", "cookie", "bearer", "privatekey", "private_key");

    /** {@code Bearer abc}, {@code Basic dXNlcjpwYXNz}: the scheme stays, the credential goes. */
    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
    /**
     * {@code password=x}, {@code "token": "x"}, {@code Authorization: x}: the name stays, the value goes.
     * A JSON array or object after the name ({@code "Authorization":["Bearer x"]}, an echoed header map)
     * is left whole for the other patterns and the literal secrets: masking its bracket would garble it.
     */
    private static final Pattern NAMED_VALUE = Pattern.compile(
            "(?i)(\"?(?:authorization|password|passwd|secret|token|api[-_]?key|access[-_]?key|client[-_]?secret)\"?)"
                    + "(\\s*[:=]\\s*\"?)(?!<redacted>)(?!(?:bearer|basic)\\s)(?![\\[{])[^\\s\",&;]+");
    /** {@code https://user:pass@host}: the user stays, the password goes. */
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]+:)[^@\\s/]+@");

    private Redactor() {
    }

    /** The value to log for field {@code name}: masked whole when the name says it holds a secret. */
    public static String field(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String secret : SECRET_NAMES) {
            if (lower.contains(secret) && !lower.endsWith("file") && !lower.endsWith("path")) {
                return MASK;
            }
        }
        return text(value);
    }

    /** {@code text} with every recognisable secret masked. */
    public static String text(String text) {
        String s = AUTH_SCHEME.matcher(text).replaceAll("$1 " + MASK);
        s = NAMED_VALUE.matcher(s).replaceAll("$1$2" + MASK);
        return URL_PASSWORD.matcher(s).replaceAll("$1" + MASK + "@");
    }
}
