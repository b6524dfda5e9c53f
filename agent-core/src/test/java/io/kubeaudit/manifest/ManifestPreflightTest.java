package io.kubeaudit.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Failure modes 3-5 of the setup research: audit paths the API server would not find on the node. */
class ManifestPreflightTest {

    @Test
    void pathsInsideMountedHostPathsPass() throws Exception {
        assertEquals(List.of(), ManifestPreflight.unmountedPaths(CorpusManifests.parse(CorpusManifests.V1_28_COMMENTS)));
        assertEquals(List.of(), ManifestPreflight.unmountedPaths(CorpusManifests.parse(CorpusManifests.V1_32_FULL)));
        assertEquals(List.of(), ManifestPreflight.unmountedPaths(CorpusManifests.parse(CorpusManifests.V1_29)), "no audit flags, nothing to check");
    }

    @Test
    void aPolicyOutsideEveryMountIsReported() throws Exception {
        // kubernetes/website#9760: the policy under /home, which the pod does not mount
        assertEquals(List.of("/home/admin/policy.yaml"), unmounted("--audit-policy-file=/home/admin/policy.yaml"));
    }

    @Test
    void aLogDirectoryThatIsNotMountedIsReported() throws Exception {
        // rancher/rke2#4026: the log lands inside the container and is lost
        assertEquals(List.of("/var/log/apiserver/audit.log"),
                ManifestPreflight.unmountedPaths(CorpusManifests.parse(CorpusManifests.V1_32_NO_POLICY)));
    }

    @Test
    void aLogFileMountedAloneIsReported() throws Exception {
        // kubernetes/website#30712: rotation renames the file, which a file bind mount does not allow
        String text = AuditManifestEditorTest.resource("/manifest/audit-log-file-mounted-alone.yaml");
        assertEquals(List.of("/var/log/kubernetes/audit/audit.log"), ManifestPreflight.unmountedPaths(ApiServerManifest.parse("m", text)));
    }

    @Test
    void logsToStandardOutputNeedNoMount() throws Exception {
        assertEquals(List.of(), unmounted("--audit-log-path=-"));
    }

    private static List<String> unmounted(String flag) throws Exception {
        String text = CorpusManifests.read(CorpusManifests.V1_29)
                .replace("    - --allow-privileged=true\n", "    - --allow-privileged=true\n    - " + flag + "\n");
        return ManifestPreflight.unmountedPaths(ApiServerManifest.parse("m", text));
    }
}
