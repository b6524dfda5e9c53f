package io.kubeaudit.ship.http;

import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.RetryCause;
import java.util.Optional;

/**
 * What an HTTP status says about a request, the same for every HTTP destination (Vector's shared
 * retry logic); a destination whose success answer carries more (a bulk API's per-item results, a
 * known answer shape) reads the 2xx body itself and calls this for everything else.
 */
public final class StatusClassifier {

    private StatusClassifier() {
    }

    public static Outcome classify(HttpResponse r) {
        int s = r.status();
        if (r.isSuccess()) {
            return Outcome.DELIVERED;
        }
        String reason = "HTTP " + s + " " + r.excerpt();
        if (isAuthFailure(s)) {
            return new Outcome.Held(Outcome.HoldCause.CREDENTIALS, reason);
        }
        if (s == 413) {
            return new Outcome.TooLarge(reason);
        }
        if (s == 408) {
            return new Outcome.Retry(RetryCause.TIMEOUT, reason, r.retryAfter());
        }
        if (s == 429) {
            return new Outcome.Retry(RetryCause.THROTTLED, reason, r.retryAfter());
        }
        if (s >= 500) {
            return new Outcome.Retry(RetryCause.SERVER_ERROR, reason, r.retryAfter());
        }
        if (isWrongAddress(s)) {
            return new Outcome.Retry(RetryCause.UNEXPECTED_STATUS, reason + " (no such endpoint: check the destination url)", Optional.empty());
        }
        if (s >= 400) {
            return new Outcome.Rejected(reason, r.text());
        }
        // 1xx and 3xx are not answers a POST should get: a wrong URL or a proxy, which a person fixes. Hold, do not drop.
        return new Outcome.Retry(RetryCause.UNEXPECTED_STATUS,
                "HTTP " + s + " is not an answer to a POST; check the destination url", Optional.empty());
    }

    /** The credential is wrong, and credentials get fixed: never counted as delivered, never dropped. */
    static boolean isAuthFailure(int status) {
        return status == 401 || status == 403;
    }

    /**
     * 404 and 405 say the URL does not take these requests, whatever their content: a person fixes the
     * URL. Refusing the events for it would dead-letter everything the agent reads.
     */
    static boolean isWrongAddress(int status) {
        return status == 404 || status == 405;
    }
}
