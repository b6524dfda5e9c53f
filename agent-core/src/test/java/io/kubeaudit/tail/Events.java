package io.kubeaudit.tail;

import java.util.ArrayList;
import java.util.List;

/** Numbered audit-event-like lines of varied length; each one's start is unique, like a real auditID. */
final class Events {

    private Events() {
    }

    static String event(int n) {
        String auditId = String.format("%08d-0000-4000-8000-%012d", n, n);
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + auditId
                + "\",\"stage\":\"ResponseComplete\",\"n\":" + n + ",\"pad\":\"" + "x".repeat(60 + (n * 37) % 700) + "\"}";
    }

    /** Events from (inclusive) to (exclusive). */
    static List<String> range(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int n = from; n < to; n++) {
            out.add(event(n));
        }
        return out;
    }
}
