package io.kubeaudit.ship.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A POST on its way through the steps: headers in the order they are sent, and the body. Steps return changed copies. */
public record HttpRequest(Map<String, String> headers, Body body) {

    public HttpRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static HttpRequest of(String contentType, Body body) {
        return new HttpRequest(Map.of("Content-Type", contentType), body);
    }

    /** The same request with {@code name} set (replacing a value it had). */
    public HttpRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpRequest(h, body);
    }

    public HttpRequest withBody(Body newBody) {
        return new HttpRequest(headers, newBody);
    }
}
