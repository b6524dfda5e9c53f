package io.kubeaudit.ship.http;

import io.kubeaudit.ship.http.CredentialFile.CredentialUnavailableException;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.RetryCause;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One destination's requests: its steps in order, then the transport ({@link HttpEndpoints#open} lists
 * them), and the translation of whatever goes wrong on the way into an {@link Outcome} with a
 * reason a person can act on. A sink builds the request and reads the answer; nothing else.
 */
public final class HttpSender {

    private final List<HttpStep> steps;
    private final HttpTransport transport;
    private final Optional<TlsClient> tls;

    HttpSender(List<HttpStep> steps, HttpTransport transport, Optional<TlsClient> tls) {
        this.steps = List.copyOf(steps);
        this.transport = transport;
        this.tls = tls;
    }

    /** Sends through every step; the answer is complete, whatever its status. */
    public HttpResponse send(HttpRequest request) throws IOException {
        return new Link(0).proceed(request);
    }

    /**
     * Sends and lets {@code reader} say what the answer means; failures on the way are outcomes too.
     *
     * @throws InterruptedException when shutdown cut the request off
     */
    public Outcome deliver(HttpRequest request, AnswerReader reader) throws InterruptedException {
        HttpResponse response;
        try {
            response = send(request);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("sending to " + this + " was interrupted");
            }
            return failed(e);
        }
        return reader.read(response);
    }

    private Outcome failed(IOException e) {
        String hint = tls.map(TlsClient::hint).orElse("");
        if (e instanceof CredentialUnavailableException) {
            return new Outcome.Held(Outcome.HoldCause.CREDENTIALS, e.getMessage());
        }
        if (e instanceof IncompleteResponseException) {
            return new Outcome.Retry(RetryCause.CONNECTION, "incomplete answer: " + e.getMessage(), Optional.empty());
        }
        if (e instanceof SocketTimeoutException) {
            return new Outcome.Retry(RetryCause.TIMEOUT, "timeout: " + e.getMessage(), Optional.empty());
        }
        if (e instanceof SSLException) {
            return new Outcome.Retry(RetryCause.CONNECTION, "TLS: " + e.getMessage()
                    + " (check caFile/certFile/keyFile and the server's certificate)" + hint, Optional.empty());
        }
        return new Outcome.Retry(RetryCause.CONNECTION, e.getClass().getSimpleName() + ": " + e.getMessage() + hint, Optional.empty());
    }

    /** The URL as logged: without user info, query or fragment. */
    @Override
    public String toString() {
        return HttpTransport.redacted(transport.url());
    }

    /** The chain from step {@code index} on (OkHttp's RealInterceptorChain). */
    private final class Link implements HttpStep.Chain {
        private final int index;
        private boolean called;

        Link(int index) {
            this.index = index;
        }

        @Override
        public HttpResponse proceed(HttpRequest request) throws IOException {
            if (called) {
                throw new IllegalStateException("step " + steps.get(index - 1).getClass().getSimpleName() + " called the next step twice");
            }
            called = true;
            return index == steps.size() ? transport.proceed(request) : steps.get(index).proceed(request, new Link(index + 1));
        }
    }
}
