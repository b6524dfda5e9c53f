package io.kubeaudit.kubeadm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.kube.Kubectl;
import java.io.IOException;

/**
 * ConfigMap kube-system/kubeadm-config through kubectl's raw API calls: read it, and replace it with the
 * resourceVersion that was read, so a write based on an outdated copy is refused (409) instead of undoing
 * someone else's change (a {@code kubeadm upgrade}, another control-plane node's agent).
 */
final class KubeadmConfigMap {

    static final String OBJECT = "ConfigMap kube-system/kubeadm-config";
    static final String KEY = "ClusterConfiguration";
    static final String DESCRIPTION = "the " + KEY + " in " + OBJECT;
    private static final String URI = "/api/v1/namespaces/kube-system/configmaps/kubeadm-config";
    private static final ObjectMapper JSON = new ObjectMapper();

    sealed interface Read {
        record Found(ObjectNode configMap) implements Read {
        }

        /** No such ConfigMap: the cluster was not set up by kubeadm (or its config was deleted). */
        record Missing() implements Read {
        }

        record Unavailable(String reason) implements Read {
        }
    }

    sealed interface Write {
        record Replaced() implements Write {
        }

        /** The object changed since it was read (409 Conflict): read it again. */
        record Conflict() implements Write {
        }

        record Unavailable(String reason) implements Write {
        }
    }

    private final Kubectl kubectl;

    KubeadmConfigMap(Kubectl kubectl) {
        this.kubectl = kubectl;
    }

    Read read() throws InterruptedException {
        Kubectl.Result r;
        try {
            r = kubectl.get(URI);
        } catch (IOException e) {
            return new Read.Unavailable("cannot run kubectl: " + e.getMessage());
        }
        if (!r.ok()) {
            return r.says("NotFound") ? new Read.Missing() : new Read.Unavailable("cannot read " + OBJECT + ": " + r.err());
        }
        try {
            JsonNode object = JSON.readTree(r.out());
            if (object == null || !object.isObject() || !"ConfigMap".equals(object.path("kind").asText())) {
                return new Read.Unavailable("kubectl did not return a ConfigMap for " + OBJECT);
            }
            return new Read.Found((ObjectNode) object);
        } catch (JsonProcessingException e) {
            return new Read.Unavailable("kubectl returned unreadable JSON for " + OBJECT + ": " + e.getOriginalMessage());
        }
    }

    /** @param configMap the object as read, changed, still carrying the resourceVersion it was read with */
    Write replace(ObjectNode configMap) throws InterruptedException {
        Kubectl.Result r;
        try {
            r = kubectl.replace(URI, JSON.writeValueAsString(configMap));
        } catch (IOException e) {
            return new Write.Unavailable("cannot run kubectl: " + e.getMessage());
        }
        if (r.ok()) {
            return new Write.Replaced();
        }
        return r.says("Conflict") ? new Write.Conflict() : new Write.Unavailable("cannot update " + OBJECT + ": " + r.err());
    }
}
