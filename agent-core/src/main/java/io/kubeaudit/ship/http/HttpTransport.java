package io.kubeaudit.ship.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The last step: one POST over {@link HttpURLConnection} in fixed-length streaming mode (no copy of the
 * body, keep-alive connections reused; in the comparison recorded in the README it used about half
 * the CPU and a quarter of the memory of {@code java.net.http.HttpClient} with byte-array bodies).
 * The answer is read to its end, so only a complete response comes back ({@link IncompleteResponseException}
 * otherwise), and the request's deadline is kept by the {@link RequestWatchdog}.
 */
public final class HttpTransport implements HttpStep.Chain {

    /** Body bytes kept of an answer when a destination needs no more (a webhook's answer says little). */
    public static final int EXCERPT_BYTES = 4096;
    /** Socket writes of this size: it and the JDK's direct copy of it stay in a core's L2 cache. */
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;
    /** One per sender thread, reused for every request's body and for reading the answer. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[WRITE_BUFFER_BYTES]);

    /** The request ran past the request timeout and was cut off by the watchdog. */
    public static final class DeadlineExceededException extends SocketTimeoutException {
        DeadlineExceededException(String message) {
            super(message);
        }
    }

    private final URL url;
    private final Optional<SSLSocketFactory> tls;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final RequestWatchdog watchdog;
    private final InstantSource clock;
    private final int keepBodyBytes;

    /** @param keepBodyBytes how much of an answer's body the destination reads; the rest is read and dropped */
    public HttpTransport(URL url, Optional<SSLSocketFactory> tls, Duration connectTimeout, Duration requestTimeout,
                         RequestWatchdog watchdog, InstantSource clock, int keepBodyBytes) {
        this.url = url;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.watchdog = watchdog;
        this.clock = clock;
        this.keepBodyBytes = keepBodyBytes;
    }

    @Override
    public HttpResponse proceed(HttpRequest request) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) url.openConnection();
        if (conn instanceof HttpsURLConnection https && tls.isPresent()) {
            https.setSSLSocketFactory(tls.get());
        }
        RequestWatchdog.Deadline deadline = watchdog.arm(requestTimeout, conn::disconnect);
        try {
            conn.setRequestMethod("POST");
            conn.setDoOutput(true);
            conn.setUseCaches(false);
            conn.setInstanceFollowRedirects(false);
            conn.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
            conn.setReadTimeout(Math.toIntExact(requestTimeout.toMillis()));
            conn.setFixedLengthStreamingMode(request.body().length());
            request.headers().forEach(conn::setRequestProperty);
            // Events are written a few small pieces at a time; collect them into large socket writes.
            try (OutputStream out = new WriteBuffer(conn.getOutputStream(), BUFFER.get())) {
                request.body().writeTo(out);
            }
            int status = conn.getResponseCode();
            if (status < 0) {
                throw new IncompleteResponseException("the answer has no valid HTTP status line");
            }
            Map<String, String> headers = headers(conn);
            InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            HttpResponse response = read(status, headers, in);
            requireFraming(conn.getHeaderField(0), response);
            return response;
        } catch (IOException e) {
            conn.disconnect();
            if (deadline.fired()) {
                DeadlineExceededException timeout = new DeadlineExceededException(
                        "no complete response within the request timeout of " + requestTimeout.toMillis() + "ms");
                timeout.initCause(e);
                throw timeout;
            }
            throw e;
        } finally {
            deadline.disarm();
        }
    }

    private static Map<String, String> headers(HttpURLConnection conn) {
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, List<String>> h : conn.getHeaderFields().entrySet()) {
            if (h.getKey() != null && !h.getValue().isEmpty()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().get(0));
            }
        }
        return headers;
    }

    /**
     * Reads the body to its end (so the connection can be reused), keeping its first bytes, and checks it
     * is whole. {@code in} is null when the JDK keeps an error body to itself (a 401 in streaming mode).
     */
    private HttpResponse read(int status, Map<String, String> headers, InputStream in) throws IOException {
        byte[] kept = new byte[0];
        if (in == null) {
            return new HttpResponse(status, headers, kept, 0, clock.instant());
        }
        byte[] buffer = BUFFER.get();
        long total = 0;
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (kept.length < keepBodyBytes && n > 0) {
                    int take = (int) Math.min(n, keepBodyBytes - kept.length);
                    int at = kept.length;
                    kept = Arrays.copyOf(kept, at + take);
                    System.arraycopy(buffer, 0, kept, at, take);
                }
                total += n;
            }
        }
        String announced = headers.get("content-length");
        if (announced != null) {
            long length = parseLength(announced);
            if (total < length) {
                throw new IncompleteResponseException("the answer (HTTP " + status + ") ended after " + total + " of the "
                        + length + " body bytes its Content-Length announced");
            }
        }
        return new HttpResponse(status, headers, kept, total, clock.instant());
    }

    /**
     * An HTTP/1.1 answer with a body says where the body ends (Content-Length or chunked); without
     * either, the end of the connection ends it, and a connection that broke after the status line looks
     * exactly the same. So such an answer proves nothing. HTTP/1.0 servers (Python's http.server by
     * default) legitimately end bodies that way and are taken at their word.
     */
    private static void requireFraming(String statusLine, HttpResponse r) throws IncompleteResponseException {
        boolean framed = r.header("Content-Length").isPresent()
                || r.header("Transfer-Encoding").map(t -> t.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
        boolean bodiless = r.status() < 200 || r.status() == 204 || r.status() == 304;
        if (!framed && !bodiless && statusLine != null && statusLine.startsWith("HTTP/1.1")) {
            throw new IncompleteResponseException("the answer (" + statusLine.strip() + ") has no Content-Length and is not chunked:"
                    + " nothing shows it arrived whole (the connection closed after " + r.bodyLength() + " body bytes)");
        }
    }

    private static long parseLength(String value) throws IncompleteResponseException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IncompleteResponseException("the answer's Content-Length \"" + value + "\" is not a number");
        }
    }

    /** The URL as logged: without user info, query or fragment, which may hold credentials. */
    public static String redacted(URL url) {
        return url.getProtocol() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "") + url.getPath();
    }

    public URL url() {
        return url;
    }
}
