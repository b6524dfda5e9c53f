package io.kubeaudit.simulate;

import io.kubeaudit.policy.RequestAttributes;
import io.kubeaudit.query.AuditEvent;

/** The request attributes the API server matched its policy against, recovered from the event it logged. */
final class RecordedRequest {

    private RecordedRequest() {
    }

    /**
     * The authenticated user, not the impersonated one: the server evaluates the policy before impersonation.
     * A create has no name when the policy is evaluated: the server fills objectRef.name in from the body later.
     */
    static RequestAttributes of(AuditEvent e) {
        if (!e.isResourceRequest()) {
            int query = e.requestUri().indexOf('?');
            return RequestAttributes.nonResource(e.user().username(), e.user().groups(), e.verb(),
                    query < 0 ? e.requestUri() : e.requestUri().substring(0, query));
        }
        AuditEvent.ObjectRef ref = e.objectRef().orElseThrow();
        String name = e.verb().equals("create") && ref.subresource().isEmpty() ? "" : ref.name();
        return RequestAttributes.resource(e.user().username(), e.user().groups(), e.verb(), ref.apiGroup(), ref.resource(),
                ref.subresource(), ref.namespace(), name);
    }
}
