package io.kubeaudit.sim;

import java.util.List;

/**
 * What the audit event needs to know about one request, as the real server's RequestInfo resolver derives
 * it from the URL (resource requests under /api and /apis, everything else a non-resource path).
 */
record RequestInfo(UserInfo user, String verb, boolean resourceRequest, String apiGroup, String apiVersion,
                         String resource, String subresource, String namespace, String name, String path) {

    /** An authenticated or anonymous identity; an empty username means authentication failed. */
    record UserInfo(String username, String uid, List<String> groups) {
        UserInfo {
            groups = List.copyOf(groups);
        }

        static final UserInfo NONE = new UserInfo("", "", List.of());
        static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"));
    }

    static RequestInfo nonResource(UserInfo user, String verb, String path) {
        return new RequestInfo(user, verb, false, "", "", "", "", "", "", path);
    }

    /**
     * Parses a request path as k8s.io/apiserver's RequestInfoFactory does for the parts the simulator serves:
     * {@code /api/v1/...} (core group) and {@code /apis/GROUP/VERSION/...}, namespaced or cluster-scoped.
     */
    static RequestInfo fromRequest(UserInfo user, String method, String path, boolean watchQuery) {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        int i;
        String group;
        if (parts.length >= 3 && parts[0].equals("api")) {
            group = "";
            i = 1;
        } else if (parts.length >= 4 && parts[0].equals("apis")) {
            group = parts[1];
            i = 2;
        } else {
            return nonResource(user, method.toLowerCase(java.util.Locale.ROOT), path);
        }
        String version = parts[i++];
        String namespace = "";
        if (parts[i].equals("namespaces") && parts.length > i + 2) {
            namespace = parts[i + 1];
            i += 2;
        }
        String resource = parts[i++];
        String name = i < parts.length ? parts[i++] : "";
        String sub = i < parts.length ? parts[i] : "";
        if (resource.equals("namespaces") && !name.isEmpty()) {
            namespace = name;
        }
        String verb = switch (method) {
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> watchQuery ? "watch" : name.isEmpty() ? "list" : "get";
        };
        return new RequestInfo(user, verb, true, group, version, resource, sub, namespace, name, path);
    }
}
