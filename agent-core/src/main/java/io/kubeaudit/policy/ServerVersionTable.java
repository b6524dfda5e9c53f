package io.kubeaudit.policy;

import io.kubeaudit.node.KubeVersion;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What kube-apiserver of each version does with {@code --audit-policy-file}, one row per fact, each with
 * the source it was read from (the k8s.io/apiserver and k8s.io/apimachinery staging repositories at the
 * release tag, go-yaml's resolve.go at the revision that release vendored). A fact holds for the versions
 * in [from, until); a fact that changed within a minor release has one row per range.
 *
 * <p>Versions newer than {@link #NEWEST} are read as {@link #NEWEST}: the table claims nothing about them.
 */
public final class ServerVersionTable {

    /** The newest release whose sources were read for this table. */
    public static final KubeVersion NEWEST = new KubeVersion(1, 36, 0);
    /** The oldest release the agent supports: the first with audit.k8s.io/v1. */
    public static final KubeVersion OLDEST = new KubeVersion(1, 12, 0);

    /** One behaviour that differs between versions. */
    public enum Fact {
        API_V1("apiVersion audit.k8s.io/v1 is registered"),
        API_V1BETA1("apiVersion audit.k8s.io/v1beta1 is registered"),
        API_V1ALPHA1("apiVersion audit.k8s.io/v1alpha1 is registered"),
        OLD_API_DEPRECATION_WARNING("audit.k8s.io/v1alpha1 and v1beta1 load with a deprecation warning in the server log"),
        OMIT_MANAGED_FIELDS("omitManagedFields is a field of the Policy and of each PolicyRule"),
        GROUP_WILDCARD("resources[].group \"*\" is valid and matches every API group"),
        UNKNOWN_FIELDS_LOGGED("unknown and duplicate fields are logged as a warning (strict decode first, then lenient);"
                + " before, they are dropped without a word"),
        ENCODING_JSON_DECODER("the JSON made from the YAML is decoded by sigs.k8s.io/json (encoding/json, case-sensitive);"
                + " before, by json-iterator configured case-sensitive"),
        YAML_V224_FLOATS("go-yaml v2.2.4 float syntax: 1e3 and 1. are floats; before, only signed exponents (1e+3) and"
                + " digits after a point"),
        GO113_NUMBER_PREFIXES("built with Go 1.13 or newer, whose strconv reads the 0o, 0O, 0b and 0B prefixes: 0o17 is the"
                + " integer 15");

        private final String description;

        Fact(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** One row: {@code fact} holds from {@code from} (inclusive) until {@code until} (exclusive, empty: still holds). */
    public record Row(Fact fact, KubeVersion from, Optional<KubeVersion> until, String source) {

        public Row {
            Objects.requireNonNull(fact, "fact");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(source, "source");
        }

        boolean covers(KubeVersion v) {
            return v.compareTo(from) >= 0 && until.map(u -> v.compareTo(u) < 0).orElse(true);
        }
    }

    private static final String READER = "k8s.io/apiserver pkg/audit/policy/reader.go";
    private static final String YAML_V224 = "k8s.io/apimachinery vendored gopkg.in/yaml.v2 v2.2.4 (Godeps.json / go.mod at %s;"
            + " resolve.go yamlStyleFloat `^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, the CVE-2019-11253 backport)";

    public static final List<Row> ROWS = List.of(
            row(Fact.API_V1, v(1, 12, 0), null, READER + " @ kubernetes-1.12.0: apiGroupVersions gains auditv1.SchemeGroupVersion"),
            row(Fact.API_V1BETA1, OLDEST, v(1, 24, 0), READER + " @ kubernetes-1.24.0: apiGroupVersions is auditv1 only"
                    + " (commit 871a4b720 \"remove audit.k8s.io/v1[alpha|beta]1 versions\")"),
            row(Fact.API_V1ALPHA1, OLDEST, v(1, 24, 0), READER + " @ kubernetes-1.24.0 (same commit)"),
            row(Fact.OLD_API_DEPRECATION_WARNING, v(1, 21, 0), v(1, 24, 0), READER + " @ kubernetes-1.21.0: klog.Warningf(\"%q is"
                    + " deprecated and will be removed in a future release\") (commit 146083d06)"),
            row(Fact.OMIT_MANAGED_FIELDS, v(1, 23, 0), null, "k8s.io/apiserver pkg/apis/audit/v1/types.go @ kubernetes-1.23.0:"
                    + " Policy.OmitManagedFields bool, PolicyRule.OmitManagedFields *bool (absent at kubernetes-1.22.0)"),
            row(Fact.GROUP_WILDCARD, v(1, 36, 0), null, "k8s.io/apiserver pkg/apis/audit/validation/validation.go and"
                    + " pkg/audit/policy/checker.go @ kubernetes-1.36.0 (commit 6728d9492 \"Allow wildcard '*' for API groups\")"),
            row(Fact.UNKNOWN_FIELDS_LOGGED, v(1, 26, 0), null, READER + " @ kubernetes-1.26.0: serializer.EnableStrict decoder"
                    + " first, on runtime.IsStrictDecodingError klog.Warningf(\"Audit policy contains errors, falling back to"
                    + " lenient decoding\") (commit 0547548a9)"),
            row(Fact.ENCODING_JSON_DECODER, v(1, 23, 0), null, "k8s.io/apimachinery pkg/runtime/serializer/json/json.go @"
                    + " kubernetes-1.23.0: kjson.UnmarshalCaseSensitivePreserveInts (json-iterator CaseSensitive: true at"
                    + " kubernetes-1.22.0)"),
            row(Fact.YAML_V224_FLOATS, v(1, 13, 12), v(1, 14, 0), YAML_V224.formatted("kubernetes-1.13.12")),
            row(Fact.YAML_V224_FLOATS, v(1, 14, 8), v(1, 15, 0), YAML_V224.formatted("kubernetes-1.14.8")),
            row(Fact.YAML_V224_FLOATS, v(1, 15, 5), v(1, 16, 0), YAML_V224.formatted("kubernetes-1.15.5")),
            row(Fact.YAML_V224_FLOATS, v(1, 16, 2), null, YAML_V224.formatted("kubernetes-1.16.2") + "; v2.2.4 to v2.4.3 and"
                    + " sigs.k8s.io/yaml's goyaml.v2 fork have the same resolve.go"),
            row(Fact.GO113_NUMBER_PREFIXES, v(1, 17, 0), null, "kubernetes/community PR 4225 and kubernetes PR 82809: Go 1.13"
                    + " from Kubernetes 1.17; go-yaml v2 resolve.go reads integers with strconv.ParseInt(plain, 0, 64)"));

    private ServerVersionTable() {
    }

    /** Whether {@code fact} holds for {@code server} (a version newer than {@link #NEWEST} is read as {@link #NEWEST}). */
    public static boolean holds(Fact fact, KubeVersion server) {
        KubeVersion v = server.compareTo(NEWEST) > 0 ? NEWEST : server;
        return ROWS.stream().anyMatch(r -> r.fact() == fact && r.covers(v));
    }

    /** The rows of one fact, oldest first. */
    public static List<Row> rows(Fact fact) {
        return ROWS.stream().filter(r -> r.fact() == fact).toList();
    }

    /** The first version where {@code fact} holds. */
    public static KubeVersion since(Fact fact) {
        return rows(fact).get(0).from();
    }

    /** The version from which {@code fact} no longer holds, if it ended. */
    public static Optional<KubeVersion> until(Fact fact) {
        List<Row> rows = rows(fact);
        return rows.get(rows.size() - 1).until();
    }

    /** "1.23" for a .0 release, "1.16.2" otherwise: how people name the version a change arrived in. */
    public static String name(KubeVersion v) {
        return v.major() + "." + v.minor() + (v.patch() == 0 ? "" : "." + v.patch());
    }

    private static KubeVersion v(int major, int minor, int patch) {
        return new KubeVersion(major, minor, patch);
    }

    private static Row row(Fact fact, KubeVersion from, KubeVersion until, String source) {
        return new Row(fact, from, Optional.ofNullable(until), source);
    }
}
