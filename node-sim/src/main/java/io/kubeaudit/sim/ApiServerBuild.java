package io.kubeaudit.sim;

import io.kubeaudit.node.KubeVersion;

/**
 * What the emulated kube-apiserver release was built from, as far as loading the audit policy goes: the
 * go-yaml v2 revision it vendored, the Go release, the JSON decoder, the strict-then-lenient policy
 * reader, and which apiVersions and fields its audit types have. Read from the k8s.io/apiserver and
 * k8s.io/apimachinery sources at each release tag.
 *
 * @param yamlV224      gopkg.in/yaml.v2 v2.2.4 or newer (float syntax without a signed exponent): 1.13.12, 1.14.8,
 *                      1.15.5, 1.16.2 and 1.17+ (the CVE-2019-11253 bump)
 * @param go113         built with Go 1.13+ (strconv's 0o and 0b prefixes): 1.17+
 * @param encodingJson  sigs.k8s.io/json decodes the JSON (1.23+); before, json-iterator
 * @param strictFirst   reader.go decodes strictly first and logs what the lenient pass drops (1.26+)
 * @param v1            audit.k8s.io/v1 is registered (1.12+)
 * @param oldVersions   audit.k8s.io/v1alpha1 and v1beta1 are registered (until 1.23)
 * @param deprecationWarning reader.go warns about v1alpha1/v1beta1 (1.21 to 1.23)
 * @param managedFields omitManagedFields exists (1.23+)
 * @param groupWildcard group "*" passes validation and matches every group (1.36+)
 */
record ApiServerBuild(boolean yamlV224, boolean go113, boolean encodingJson, boolean strictFirst, boolean v1, boolean oldVersions,
                      boolean deprecationWarning, boolean managedFields, boolean groupWildcard) {

    static ApiServerBuild of(KubeVersion v) {
        boolean yaml224 = v.atLeast(1, 17) || v.minor() == 16 && v.patch() >= 2 || v.minor() == 15 && v.patch() >= 5
                || v.minor() == 14 && v.patch() >= 8 || v.minor() == 13 && v.patch() >= 12;
        return new ApiServerBuild(yaml224, v.atLeast(1, 17), v.atLeast(1, 23), v.atLeast(1, 26), v.atLeast(1, 12), !v.atLeast(1, 24),
                v.atLeast(1, 21) && !v.atLeast(1, 24), v.atLeast(1, 23), v.atLeast(1, 36));
    }
}
