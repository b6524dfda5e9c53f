package io.kubeaudit.ship.http;

import io.kubeaudit.config.HttpEndpointConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.sink.SinkSetupException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the {@link HttpSender} of an HTTP destination from its endpoint settings; file settings are node paths. */
public final class HttpEndpoints {

    private HttpEndpoints() {
    }

    /**
     * The steps every request of the destination passes, in this order: the configured headers, the
     * Authorization header from its file, the masking of those secrets in refusals that echo them (after
     * the steps that add them, so it knows what was sent), gzip (last, so it compresses the final body), then the transport.
     *
     * @param keepBodyBytes how much of an answer the destination reads ({@link HttpTransport#EXCERPT_BYTES} when little)
     */
    public static HttpSender open(String destination, HttpEndpointConfig c, NodePaths paths, RequestWatchdog watchdog,
                                  InstantSource clock, int keepBodyBytes) throws SinkSetupException {
        URL url = url(destination, c.url());
        Optional<TlsClient> tls = Optional.empty();
        if (url.getProtocol().equals("https")) {
            try {
                tls = Optional.of(PemTls.client(file(paths, c.caFile()), file(paths, c.certFile()), file(paths, c.keyFile())));
            } catch (PemTls.TlsSetupException e) {
                throw new SinkSetupException("destination " + destination + ": " + e.getMessage(), e);
            }
        } else if (!c.caFile().isEmpty() || !c.certFile().isEmpty() || !c.keyFile().isEmpty()) {
            throw new SinkSetupException("destination " + destination + ": caFile/certFile/keyFile are set but the url is http://; use https://");
        }
        List<HttpStep> steps = new ArrayList<>();
        steps.add(new HeadersStep(c.headers()));
        credential(paths, c).ifPresent(credential -> steps.add(new AuthorizationStep(credential)));
        steps.add(new EchoedSecretsStep(c.headers().keySet()));
        if (c.gzip()) {
            steps.add(new GzipStep());
        }
        HttpTransport transport = new HttpTransport(url, tls.map(TlsClient::socketFactory), c.connectTimeout(), c.requestTimeout(),
                watchdog, clock, keepBodyBytes);
        return new HttpSender(steps, transport, tls);
    }

    private static Optional<CredentialFile> credential(NodePaths paths, HttpEndpointConfig c) {
        if (!c.tokenFile().isEmpty()) {
            return Optional.of(new CredentialFile(paths.resolve(c.tokenFile()), CredentialFile.Kind.BEARER_TOKEN));
        }
        if (!c.basicAuthFile().isEmpty()) {
            return Optional.of(new CredentialFile(paths.resolve(c.basicAuthFile()), CredentialFile.Kind.BASIC_AUTH));
        }
        if (!c.apiKeyFile().isEmpty()) {
            return Optional.of(new CredentialFile(paths.resolve(c.apiKeyFile()), CredentialFile.Kind.API_KEY));
        }
        return Optional.empty();
    }

    private static URL url(String destination, String text) throws SinkSetupException {
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new SinkSetupException("destination " + destination + ": url must start with http:// or https://");
            }
            if (uri.getHost() == null) {
                throw new SinkSetupException("destination " + destination + ": url has no host");
            }
            if (uri.getUserInfo() != null) {
                throw new SinkSetupException("destination " + destination
                        + ": put credentials in tokenFile, basicAuthFile, apiKeyFile or headers, not in the url");
            }
            return uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new SinkSetupException("destination " + destination + ": url is not valid: " + e.getMessage(), e);
        }
    }

    private static Optional<Path> file(NodePaths paths, String nodePath) {
        return nodePath.isEmpty() ? Optional.empty() : Optional.of(paths.resolve(nodePath));
    }
}
