package io.kubeaudit.ship.http;

import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS side of one destination: its socket factory and, when it has no client certificate,
 * whether a server asked for one (a server that requires one usually just drops the connection).
 */
public record TlsClient(SSLSocketFactory socketFactory, Optional<ClientCertificateRequests> requests) {

    /** What to add to a connection failure's reason; empty when TLS has nothing to say about it. */
    public String hint() {
        return requests.filter(ClientCertificateRequests::asked)
                .map(r -> "; the server asked for a client certificate and none is configured (set certFile and keyFile)")
                .orElse("");
    }
}
