package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every log of the corpus through the outputs people read, compared with golden files
 * ({@code src/test/resources/query/golden}, checked by hand against the logs). Problems are part of the
 * output. {@code -Dgolden.update=true} writes them anew, to be read again before committing.
 */
class CorpusGoldenTest {

    private static final Path GOLDEN = Path.of("src/test/resources/query/golden");

    record Case(String name, String file, Function<EventFilter.Builder, EventFilter.Builder> filter, String output) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        Function<EventFilter.Builder, EventFilter.Builder> all = b -> b;
        return Stream.of(
                new Case("lab-table-deployments-web-deleted", "real-kube-apiserver-v1.20.2-lab",
                        b -> add(add(add(b, Field.VERB, "delete"), Field.RESOURCE, "deployments"), Field.NAME, "web"), "table"),
                new Case("lab-explain-deployments-web-deleted", "real-kube-apiserver-v1.20.2-lab",
                        b -> add(add(add(add(b, Field.VERB, "delete"), Field.RESOURCE, "deployments"), Field.NAME, "web"),
                                Field.NAMESPACE, "shop"), "explain"),
                new Case("lab-table-impersonated-alice", "real-kube-apiserver-v1.20.2-lab", b -> add(b, Field.USER, "alice"), "table"),
                new Case("lab-explain-exec-and-secrets", "real-kube-apiserver-v1.20.2-lab",
                        b -> add(add(b, Field.RESOURCE, "pods/exec,secrets"), Field.STAGE, "!RequestReceived"), "explain"),
                new Case("lab-count-user-verb", "real-kube-apiserver-v1.20.2-lab", all, "count:user,verb"),
                new Case("lab-count-code-forbidden-by-user", "real-kube-apiserver-v1.20.2-lab", b -> add(b, Field.STATUS, "4xx"),
                        "count:code,user"),
                new Case("audit2rbac-v1beta1-table", "audit2rbac-demo-v1beta1-k8s1.8-raw.log",
                        b -> add(b, Field.STAGE, "ResponseComplete"), "table"),
                new Case("audit2rbac-v1beta1-count-resource", "audit2rbac-demo-v1beta1-k8s1.8-raw.log", all, "count:resource,code"),
                new Case("audit2rbac-v1-relabeled-explain-forbidden", "audit2rbac-demo-v1-relabeled-with-v1beta1-only-fields.log",
                        b -> add(b, Field.STATUS, "403"), "explain"),
                new Case("elastic-mixed-table", "elastic-integrations-test-audit-mixed-native-gke-aks-lines.log", all, "table"),
                new Case("falco-attach-explain", "falco-trace-attach-pod-ResponseStarted-101-no-apiVersion.json", all, "explain"),
                new Case("falco-configmaps-table", "falco-trace-create-configmap-sensitive-values-6-events-no-apiVersion.json", all, "table"),
                new Case("falco-secret-explain", "falco-trace-create-kube-system-secret-v1-Metadata.json", all, "explain"),
                new Case("falco-privileged-pod-explain", "falco-trace-create-privileged-pod-v1beta1-RequestResponse.json", all, "explain"),
                new Case("invalid-kind-number", "invalid/falco-trace-fal_01_003-kind-is-number-not-an-event.json", all, "table"),
                new Case("invalid-pretty-printed-eks", "invalid/ocsf-examples-eks-node-create-RequestResponse-large-pretty-printed-not-jsonl.json",
                        all, "table"),
                new Case("invalid-pretty-printed-jq", "invalid/tutugodfrey-cks-prep-v1.28-jq-pretty-printed-not-jsonl.log", all, "table"))
                .map(Arguments::of);
    }

    private static EventFilter.Builder add(EventFilter.Builder b, Field f, String value) {
        try {
            return b.add(f, value);
        } catch (InvalidFilterException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheGoldenFile(Case c) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        EventOutput output = c.output().startsWith("count:")
                ? new CountOutput(Stream.of(c.output().substring(6).split(",")).map(k -> EventColumn.byKey(k).orElseThrow()).toList(),
                CountOutput.Format.TABLE, out)
                : c.output().equals("explain") ? new ExplainOutput(out) : new TableOutput(out);
        StringBuilder problems = new StringBuilder();
        LogQuery.Stats stats = new LogQuery(c.filter().apply(EventFilter.builder()).build(), EventParser.forQueries(), output,
                p -> problems.append("error: ").append(p).append('\n'))
                .run(InputFiles.of(List.of(Corpus.AUDIT_LOGS.resolve(c.file()))));
        String text = (bytes.toString(StandardCharsets.UTF_8) + problems + "matched " + stats.matched() + ", parsed " + stats.parsed()
                + ", problems " + stats.problems() + "\n").replace(Corpus.AUDIT_LOGS + "/", "corpus/auditlogs/");
        Path golden = GOLDEN.resolve(c.name() + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, text);
        }
        assertEquals(read(golden), text, "differs from " + golden + " (-Dgolden.update=true rewrites it)");
    }

    private static String read(Path golden) throws IOException {
        return Files.exists(golden) ? Files.readString(golden) : "(no golden file " + golden + ")";
    }
}
