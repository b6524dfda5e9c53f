package io.kubeaudit.ship;

import io.kubeaudit.ship.DeliveryOutcome.RetryCause;
import java.util.Optional;

/** How any HTTP destination's status maps to an outcome; destinations with per-item results refine the 2xx case. */
final class HttpStatusClassifier {

    private HttpStatusClassifier() {
    }

    static DeliveryOutcome classify(HttpPost.Response r) {
        int s = r.status();
        if (isSuccess(s)) {
            return new DeliveryOutcome.Delivered();
        }
        if (isAuthFailure(s)) {
            return new DeliveryOutcome.AuthFailed("HTTP " + s + " " + firstLine(r.body()));
        }
        if (s == 413) {
            return new DeliveryOutcome.TooLarge("HTTP 413 " + firstLine(r.body()));
        }
        if (s == 408) {
            return new DeliveryOutcome.Retry(RetryCause.TIMEOUT, "HTTP 408 " + firstLine(r.body()), r.retryAfter());
        }
        if (s == 429) {
            return new DeliveryOutcome.Retry(RetryCause.THROTTLED, "HTTP 429 " + firstLine(r.body()), r.retryAfter());
        }
        if (s >= 500) {
            return new DeliveryOutcome.Retry(RetryCause.SERVER_ERROR, "HTTP " + s + " " + firstLine(r.body()), r.retryAfter());
        }
        if (isPermanentForBatch(s)) {
            return new DeliveryOutcome.Rejected("HTTP " + s + " " + firstLine(r.body()), r.body());
        }
        // 1xx and 3xx are not answers a POST should get: a wrong URL or a proxy, which a person fixes. Hold, do not drop.
        return new DeliveryOutcome.Retry(RetryCause.UNEXPECTED_STATUS,
                "HTTP " + s + " is not an answer to a POST; check the destination url", Optional.empty());
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** The credential is wrong, and credentials get fixed: never counted as delivered, never dropped. */
    static boolean isAuthFailure(int status) {
        return status == 401 || status == 403;
    }

    /** The receiver refuses this content and will refuse it again: resending only blocks everything behind it. */
    static boolean isPermanentForBatch(int status) {
        return status >= 400 && status < 500;
    }

    private static String firstLine(String body) {
        String line = body.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl);
        }
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
