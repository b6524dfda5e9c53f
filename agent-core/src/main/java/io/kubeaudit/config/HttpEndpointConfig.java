package io.kubeaudit.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where and how an HTTP destination is reached: the part every HTTP destination type embeds, with its
 * settings and their rules, so each HTTP type's table is {@link #table} plus its own settings. File
 * settings are node paths ("" when not set); at most one of the three credential files is set.
 *
 * @param tokenFile     {@code Authorization: Bearer <token>}
 * @param basicAuthFile {@code user:password} on one line: {@code Authorization: Basic ...}
 * @param apiKeyFile    an encoded Elasticsearch/OpenSearch API key: {@code Authorization: ApiKey ...}
 * @param headers       extra request headers (values never logged)
 * @param gzip          {@code Content-Encoding: gzip}
 */
public record HttpEndpointConfig(String url, String caFile, String certFile, String keyFile, String tokenFile, String basicAuthFile,
                                 String apiKeyFile, Map<String, String> headers, boolean gzip, Duration connectTimeout,
                                 Duration requestTimeout) {

    public static final Setting<String> URL = Setting.required("url", Types.STRING,
                    "http:// or https://; no credentials in it (use tokenFile, basicAuthFile, apiKeyFile or headers)")
            .check(u -> urlProblem(u) == null, "must be an http:// or https:// URL with a host and no credentials in it",
                    (name, u) -> name + " " + urlProblem(u));
    static final Setting<Boolean> GZIP = Setting.of("gzip", Types.BOOLEAN, false,
            "Content-Encoding: gzip, level 1, compressed on the sending threads");
    static final Setting<String> CA_FILE = Setting.of("caFile", Types.STRING, "",
            "PEM CA bundle for the server certificate (https:// only)").shownAs("the JDK trust store");
    static final Setting<String> CERT_FILE = Setting.of("certFile", Types.STRING, "",
            "PEM client certificate chain (with keyFile: both or neither)").shownAs("none");
    static final Setting<String> KEY_FILE = Setting.of("keyFile", Types.STRING, "",
            "PEM client key, not encrypted (protect the file with 0600): PKCS#8 (RSA, EC, Ed25519), PKCS#1 (what kubeadm"
                    + " writes) or SEC1").shownAs("none");
    static final Setting<String> TOKEN_FILE = Setting.of("tokenFile", Types.STRING, "",
            "sent as Authorization: Bearer <token>; read again whenever it changes, so a rotated token needs no restart;"
                    + " never logged").shownAs("none");
    static final Setting<String> BASIC_AUTH_FILE = Setting.of("basicAuthFile", Types.STRING, "",
            "user:password on one line, sent as Authorization: Basic; read again whenever it changes; never logged").shownAs("none");
    static final Setting<String> API_KEY_FILE = Setting.of("apiKeyFile", Types.STRING, "",
            "an encoded Elasticsearch/OpenSearch API key, sent as Authorization: ApiKey; read again whenever it changes;"
                    + " never logged").shownAs("none");
    static final Setting<Map<String, String>> HEADERS = Setting.of("headers", Types.STRING_MAP, Map.of(),
                    "extra request headers (values are never logged)")
            .check(h -> headerProblem(h) == null, "names are tokens, values hold no line breaks or other control characters",
                    (name, h) -> name + " " + headerProblem(h));
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.of("connectTimeout", Types.DURATION, Duration.ofSeconds(10),
            "how long connecting may take before the attempt is retried");
    static final Setting<Duration> REQUEST_TIMEOUT = Setting.of("requestTimeout", Types.DURATION, Duration.ofSeconds(30),
            "a request still running this long (also one stuck writing the body) is cut off and retried");

    private static final List<Setting<?>> SETTINGS = List.of(URL, GZIP, CA_FILE, CERT_FILE, KEY_FILE, TOKEN_FILE, BASIC_AUTH_FILE,
            API_KEY_FILE, HEADERS, CONNECT_TIMEOUT, REQUEST_TIMEOUT);

    public HttpEndpointConfig {
        headers = Map.copyOf(headers);
    }

    /**
     * An HTTP destination type's table: the settings every destination has, this endpoint's settings and
     * rules, then the type's own {@code settings}; {@code binder} builds the type's record (it reads the
     * endpoint with {@link #from}).
     */
    static Section<DestinationConfig> table(String type, String description, Function<Values, DestinationConfig> binder,
                                            Setting<?>... settings) {
        List<Setting<?>> all = new ArrayList<>(List.of(DestinationConfig.NAME, DestinationConfig.TYPE));
        all.addAll(SETTINGS);
        all.addAll(List.of(settings));
        all.add(DestinationConfig.MAX_EVENT_BYTES);
        all.add(DestinationConfig.FILTER);
        return Section.of("ship.destinations[] (type: " + type + ")", description, binder, all.toArray(new Setting<?>[0]))
                .rule(v -> v.get(CERT_FILE).isEmpty() == v.get(KEY_FILE).isEmpty(), CERT_FILE, "certFile and keyFile go together",
                        (path, v) -> path + ": certFile and keyFile go together (a client certificate and its key): set both or neither")
                .rule(v -> isHttps(v.get(URL)) || Stream.of(CA_FILE, CERT_FILE, KEY_FILE).allMatch(f -> v.get(f).isEmpty()), URL,
                        "caFile, certFile and keyFile need an https:// url",
                        (path, v) -> path + ": caFile/certFile/keyFile are set but the url is http://; use https://")
                .rule(v -> Stream.of(TOKEN_FILE, BASIC_AUTH_FILE, API_KEY_FILE).filter(f -> !v.get(f).isEmpty()).count() <= 1,
                        "at most one of tokenFile, basicAuthFile and apiKeyFile",
                        (path, v) -> path + ": set one of tokenFile, basicAuthFile and apiKeyFile, not several: each is the Authorization header")
                .rule(v -> !hasCredentialFile(v) || v.get(HEADERS).keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Authorization")),
                        HEADERS, "no Authorization header with a credential file",
                        (path, v) -> path + ".headers sets Authorization and a credential file is set too: keep one");
    }

    /** The endpoint part of an HTTP destination's values. */
    static HttpEndpointConfig from(Values v) {
        return new HttpEndpointConfig(v.get(URL), v.get(CA_FILE), v.get(CERT_FILE), v.get(KEY_FILE), v.get(TOKEN_FILE),
                v.get(BASIC_AUTH_FILE), v.get(API_KEY_FILE), v.get(HEADERS), v.get(GZIP), v.get(CONNECT_TIMEOUT), v.get(REQUEST_TIMEOUT));
    }

    /** The credential and key files that are set, by setting name (what {@link DestinationConfig#secretFiles} of an HTTP type gives). */
    public Map<String, String> secretFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("tokenFile", tokenFile);
        files.put("basicAuthFile", basicAuthFile);
        files.put("apiKeyFile", apiKeyFile);
        files.put("keyFile", keyFile);
        files.values().removeIf(String::isEmpty);
        return files;
    }

    private static boolean hasCredentialFile(Values v) {
        return Stream.of(TOKEN_FILE, BASIC_AUTH_FILE, API_KEY_FILE).anyMatch(f -> !v.get(f).isEmpty());
    }

    private static boolean isHttps(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("https://");
    }

    /** Null when {@code url} can be used; otherwise what is wrong, never echoing credentials it may hold. */
    public static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getReason() + " at index " + e.getIndex();
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            return "must start with http:// or https://";
        }
        if (uri.getRawUserInfo() != null) {
            return "holds credentials: put them in tokenFile, basicAuthFile, apiKeyFile or headers, not in the url";
        }
        if (uri.getHost() == null) {
            return "has no host";
        }
        return null;
    }

    /** Null when every header can be sent; otherwise which one cannot and why, naming the header, never its value. */
    static String headerProblem(Map<String, String> headers) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().isEmpty() || !h.getKey().chars().allMatch(HttpEndpointConfig::isTokenChar)) {
                return "has a header name \"" + h.getKey() + "\" that is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)";
            }
            String value = h.getValue();
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                return "header " + h.getKey() + ": its value holds a line break (a YAML block scalar such as `|` keeps the final"
                        + " newline; write the value on the key's line, quoted if need be)";
            }
            if (value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                return "header " + h.getKey() + ": its value holds a control character";
            }
        }
        return null;
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
