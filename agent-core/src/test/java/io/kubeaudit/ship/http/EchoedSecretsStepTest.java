package io.kubeaudit.ship.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EchoedSecretsStepTest {

    private static final Body EMPTY = new Body() {
        @Override
        public long length() {
            return 0;
        }

        @Override
        public void writeTo(java.io.OutputStream out) {
        }
    };

    @TempDir
    Path dir;

    /** The destination answers {@code status} with a body that repeats every request header, as a debugging proxy's error page does. */
    private static HttpStep.Chain echoing(int status) {
        return request -> {
            StringBuilder body = new StringBuilder();
            request.headers().forEach((k, v) -> body.append(k).append('=').append(v).append(';'));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            return new HttpResponse(status, Map.of(), bytes, bytes.length, Instant.EPOCH);
        };
    }

    /** The given steps, then an echoing answer: the order HttpEndpoints builds. */
    private static String answer(int status, HttpRequest request, HttpStep... steps) throws IOException {
        HttpStep.Chain chain = echoing(status);
        for (int i = steps.length - 1; i >= 0; i--) {
            HttpStep step = steps[i];
            HttpStep.Chain rest = chain;
            chain = r -> step.proceed(r, rest);
        }
        return chain.proceed(request).text();
    }

    @Test
    void headerValuesAreMaskedAsSentAndAsJsonQuotesThemButShortOnesStay() {
        assertEquals("got <redacted> and <redacted>; on stays",
                EchoedSecretsStep.mask("got p\\a\"ss-1234 and p\\\\a\\\"ss-1234; on stays", List.of("p\\a\"ss-1234", "on")));
    }

    @Test
    void aRefusalEchoingTheRotatedTokenAndAHeaderIsMasked() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first-token\n");
        CredentialFile token = new CredentialFile(file, CredentialFile.Kind.BEARER_TOKEN);
        HttpStep[] steps = {new HeadersStep(Map.of("X-Api-Key", "key-4d2e8b")), new AuthorizationStep(token),
                new EchoedSecretsStep(List.of("X-Api-Key"))};
        HttpRequest request = new HttpRequest(Map.of("Content-Type", "application/json"), EMPTY);
        String first = answer(400, request, steps);
        assertEquals(false, first.contains("first-token") || first.contains("4d2e8b"), first);
        assertEquals(true, first.contains("Authorization=Bearer <redacted>;"), first);
        assertEquals(true, first.contains("Content-Type=application/json;"), "not a secret: " + first);
        Files.writeString(file, "second-token-longer\n");
        String second = answer(401, request, steps);
        assertEquals(false, second.contains("second-token-longer"), second);
    }

    @Test
    void aBasicCredentialIsMaskedEncodedAndDecoded() throws Exception {
        String encoded = Base64.getEncoder().encodeToString("auditor:s3cret-pw".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = new HttpRequest(Map.of("Authorization", "Basic " + encoded), EMPTY);
        HttpStep.Chain echoDecoded = r -> {
            byte[] bytes = ("user auditor:s3cret-pw sent " + encoded).getBytes(StandardCharsets.UTF_8);
            return new HttpResponse(403, Map.of(), bytes, bytes.length, Instant.EPOCH);
        };
        String text = new EchoedSecretsStep(List.of()).proceed(request, echoDecoded).text();
        assertEquals(false, text.contains("s3cret-pw") || text.contains(encoded), text);
    }

    @Test
    void aSuccessIsPassedOnUntouched() throws Exception {
        HttpRequest request = new HttpRequest(Map.of("Authorization", "Bearer tok-7f3a9c1e5b"), EMPTY);
        HttpResponse ok = echoing(200).proceed(request);
        assertSame(ok, new EchoedSecretsStep(List.of()).proceed(request, r -> ok));
    }
}
