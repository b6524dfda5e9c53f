package io.kubeaudit.ship.http;

import java.io.IOException;

/**
 * One step every request of a destination passes through, on its way out and its answer's way back
 * (OkHttp's interceptor): it changes the request, calls the next step exactly once, and may look at the answer.
 */
public interface HttpStep {

    HttpResponse proceed(HttpRequest request, Chain next) throws IOException;

    /** The rest of the steps, ending in the transport. */
    interface Chain {
        HttpResponse proceed(HttpRequest request) throws IOException;
    }
}
