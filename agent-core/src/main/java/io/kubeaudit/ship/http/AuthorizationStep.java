package io.kubeaudit.ship.http;

import java.io.IOException;

/** Sets {@code Authorization} from a credential file, read again when it changes. */
public final class AuthorizationStep implements HttpStep {

    private final CredentialFile credential;

    public AuthorizationStep(CredentialFile credential) {
        this.credential = credential;
    }

    @Override
    public HttpResponse proceed(HttpRequest request, Chain next) throws IOException {
        return next.proceed(request.withHeader("Authorization", credential.authorization()));
    }
}
