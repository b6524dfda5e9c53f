package io.kubeaudit.ship.http;

import java.io.IOException;

/**
 * Compresses the body ({@code Content-Encoding: gzip}) on the sending thread, never the reader's, at
 * the level {@link GzipBody#LEVEL} says why.
 */
public final class GzipStep implements HttpStep {

    @Override
    public HttpResponse proceed(HttpRequest request, Chain next) throws IOException {
        return next.proceed(request.withBody(GzipBody.of(request.body())).withHeader("Content-Encoding", "gzip"));
    }
}
