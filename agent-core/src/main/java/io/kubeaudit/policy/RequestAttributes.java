package io.kubeaudit.policy;

import java.util.List;
import java.util.Objects;

/**
 * What the API server knows about a request when it picks the audit level: who, which verb,
 * and either a resource (group, resource, subresource, namespace, name) or a non-resource path.
 * Empty strings mean "not set", as in the server (the core group and cluster-scoped objects are "").
 */
public record RequestAttributes(String user, List<String> groups, String verb, boolean resourceRequest, String apiGroup,
                                String resource, String subresource, String namespace, String name, String path) {

    public RequestAttributes {
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups);
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(apiGroup, "apiGroup");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(subresource, "subresource");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        if (resourceRequest && resource.isEmpty()) {
            throw new IllegalArgumentException("a resource request needs a resource");
        }
    }

    /** A request on a resource, such as {@code get secrets/db-password} in namespace {@code prod}. */
    public static RequestAttributes resource(String user, List<String> groups, String verb, String apiGroup, String resource,
                                             String subresource, String namespace, String name) {
        return new RequestAttributes(user, groups, verb, true, apiGroup, resource, subresource, namespace, name, "");
    }

    /** A request on a non-resource URL such as {@code /healthz}. */
    public static RequestAttributes nonResource(String user, List<String> groups, String verb, String path) {
        return new RequestAttributes(user, groups, verb, false, "", "", "", "", "", path);
    }
}
