package io.kubeaudit.ship.http;

import java.io.IOException;
import java.util.Map;

/** Adds the destination's configured {@code headers} (their values are never logged). */
public final class HeadersStep implements HttpStep {

    private final Map<String, String> headers;

    public HeadersStep(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    @Override
    public HttpResponse proceed(HttpRequest request, Chain next) throws IOException {
        HttpRequest r = request;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return next.proceed(r);
    }
}
