package io.kubeaudit.ship;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.node.NodePaths;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLSocketFactory;

/** Builds the {@link Sink} for a configured destination; file settings are node paths, resolved under the root. */
final class Sinks {

    private Sinks() {
    }

    static Sink create(DestinationConfig d, NodePaths paths, ScheduledExecutorService watchdog, InstantSource clock)
            throws SinkSetupException {
        if (!d.type().equals("webhook")) {
            throw new SinkSetupException("destination " + d.name() + ": type " + d.type()
                    + " is not supported by this version of the agent yet; use type webhook");
        }
        URL url = url(d);
        Optional<SSLSocketFactory> tls = Optional.empty();
        if (url.getProtocol().equals("https")) {
            try {
                tls = Optional.of(PemTls.context(file(paths, d.caFile()), file(paths, d.certFile()), file(paths, d.keyFile())).getSocketFactory());
            } catch (PemTls.TlsSetupException e) {
                throw new SinkSetupException("destination " + d.name() + ": " + e.getMessage(), e);
            }
        } else if (!d.caFile().isEmpty() || !d.certFile().isEmpty() || !d.keyFile().isEmpty()) {
            throw new SinkSetupException("destination " + d.name() + ": caFile/certFile/keyFile are set but the url is http://; use https://");
        }
        Optional<BearerToken> token = file(paths, d.tokenFile()).map(BearerToken::new);
        HttpPost post = new HttpPost(url, tls, d.connectTimeout(), d.requestTimeout(), watchdog, clock);
        return new WebhookSink(url, post, token, d.headers(), d.gzip());
    }

    private static URL url(DestinationConfig d) throws SinkSetupException {
        try {
            URI uri = new URI(d.url());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new SinkSetupException("destination " + d.name() + ": url must start with http:// or https://");
            }
            if (uri.getHost() == null) {
                throw new SinkSetupException("destination " + d.name() + ": url has no host");
            }
            if (uri.getUserInfo() != null) {
                throw new SinkSetupException("destination " + d.name() + ": put credentials in tokenFile or headers, not in the url");
            }
            return uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new SinkSetupException("destination " + d.name() + ": url is not valid: " + e.getMessage(), e);
        }
    }

    private static Optional<java.nio.file.Path> file(NodePaths paths, String nodePath) {
        return nodePath.isEmpty() ? Optional.empty() : Optional.of(paths.resolve(nodePath));
    }

    /** A destination cannot be set up from its configuration; the message names it and the setting. */
    static final class SinkSetupException extends Exception {
        SinkSetupException(String message) {
            super(message);
        }

        SinkSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
