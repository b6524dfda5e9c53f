package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;

/** Equality-based label selectors ({@code a=b,c!=d,e,!f}), enough for kubeadm's {@code component=kube-apiserver}. */
final class LabelSelector {

    private LabelSelector() {
    }

    static boolean matches(String selector, JsonNode labels) {
        if (selector == null || selector.isBlank()) {
            return true;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            boolean ok;
            if (t.contains("!=")) {
                String[] kv = t.split("!=", 2);
                ok = !labels.path(kv[0].trim()).asText("\u0000").equals(kv[1].trim());
            } else if (t.contains("=")) {
                String[] kv = t.split("==?", 2);
                ok = labels.has(kv[0].trim()) && labels.path(kv[0].trim()).asText().equals(kv[1].trim());
            } else if (t.startsWith("!")) {
                ok = !labels.has(t.substring(1).trim());
            } else {
                ok = labels.has(t);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
