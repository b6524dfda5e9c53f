package io.kubeaudit.apply.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * GET of the local API server's {@code /livez} or {@code /readyz}: answered by this node's own server,
 * never by a load balancer that another healthy control-plane node stands behind. The local server's
 * certificate is commonly self-signed for a name other than 127.0.0.1, so for a loopback address
 * only, the certificate is not verified: we already know whom we talk to.
 */
public final class EndpointHealthCheck implements HealthCheck {

    private static final int MAX_BODY = 2048;

    private final URI url;

    public EndpointHealthCheck(URI url) {
        this.url = url;
    }

    @Override
    public String name() {
        return "GET " + url;
    }

    @Override
    public Result check(Duration timeout) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) url.toURL().openConnection();
            if (c instanceof HttpsURLConnection https && isLoopback(url.getHost())) {
                https.setSSLSocketFactory(TrustLoopback.CONTEXT.getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            c.setConnectTimeout(millis);
            c.setReadTimeout(millis);
            int status = c.getResponseCode();
            String body = body(status < 400 ? c.getInputStream() : c.getErrorStream());
            if (status == 200) {
                return Result.ok(name() + ": 200");
            }
            return Result.failed(name() + ": HTTP " + status + (body.isEmpty() ? "" : ": " + body)
                    + (status == 401 || status == 403 ? " (the health endpoints must be readable without credentials, as kubeadm's own checks expect)" : ""));
        } catch (IOException e) {
            return Result.failed(name() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static String body(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            String text = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8).strip();
            return text.lines().reduce((a, b) -> b).orElse("");
        }
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        // Only literal addresses: resolving a name here could ask DNS and get a remote answer.
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Trusts any certificate; used only for connections to a loopback address. */
    private static final class TrustLoopback {
        static final SSLContext CONTEXT = create();

        private static SSLContext create() {
            TrustManager any = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    throw new UnsupportedOperationException("client side only");
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // The peer is this node's own API server on a loopback address; see the class comment.
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {any}, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM offers no TLS", e);
            }
        }
    }
}
