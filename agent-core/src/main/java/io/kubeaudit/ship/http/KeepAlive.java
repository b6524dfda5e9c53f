package io.kubeaudit.ship.http;

/**
 * {@code HttpURLConnection} keeps at most {@code http.maxConnections} (default 5) idle connections per
 * destination; with more requests in flight the extra ones would be closed after every request. The
 * JDK reads the property once, so it is set before the first connection, and only when the operator
 * did not set it.
 */
public final class KeepAlive {

    private KeepAlive() {
    }

    public static void allowIdleConnections(int perDestination) {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(Math.max(5, perDestination)));
        }
    }
}
