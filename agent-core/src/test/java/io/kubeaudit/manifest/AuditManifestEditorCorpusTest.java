package io.kubeaudit.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.yaml.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every corpus manifest: edited as the brief demands, or refused with a reason and nothing changed. */
class AuditManifestEditorCorpusTest {

    static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final AuditConfig AUDIT = AuditConfig.defaults();

    static Stream<String> editable() {
        return CorpusManifests.EDITABLE.stream();
    }

    static Stream<Arguments> refused() {
        return CorpusManifests.REFUSED.stream().map(r -> Arguments.of(r.get(0), r.get(1)));
    }

    @Test
    void everyCorpusManifestIsEitherEditableOrRefused() {
        List<String> classified = new ArrayList<>(CorpusManifests.EDITABLE);
        CorpusManifests.REFUSED.forEach(r -> classified.add(r.get(0)));
        assertEquals(CorpusManifests.all(), classified.stream().sorted().toList());
    }

    @ParameterizedTest
    @MethodSource("editable")
    void enableSetsEveryAuditFlagExactlyOnceWithItsValue(String name) throws Exception {
        PodView after = PodView.of(enable(name).after());
        Map<String, String> expected = Map.of(
                "--audit-policy-file", AUDIT.policyPath(),
                "--audit-log-path", AUDIT.logPath(),
                "--audit-log-maxage", "30",
                "--audit-log-maxbackup", "10",
                "--audit-log-maxsize", "100",
                "--audit-log-format", "json");
        expected.forEach((flag, value) -> assertEquals(List.of(value), after.values(flag), flag));
        assertEquals(List.of(), after.values("--audit-log-compress"), "compress is off in the defaults");
        assertEquals(SHA, after.annotation(AuditManifestEditor.POLICY_HASH_ANNOTATION));
    }

    @ParameterizedTest
    @MethodSource("editable")
    void enableMountsThePolicyFileReadOnlyAndTheLogDirectoryReadWriteAtTheSamePathsOnTheNode(String name) throws Exception {
        PodView after = PodView.of(enable(name).after());

        assertEquals(AUDIT.policyPath(), after.hostPathOf(AUDIT.policyPath()).orElseThrow());
        Map<String, Object> policyMount = after.mountCovering(AUDIT.policyPath()).orElseThrow();
        if (policyMount.get("mountPath").equals(AUDIT.policyPath())) {
            assertEquals(true, policyMount.get("readOnly"));
            assertEquals("File", after.hostPathType((String) policyMount.get("name")));
        }

        assertEquals(AUDIT.logDir(), after.hostPathOf(AUDIT.logDir()).orElseThrow());
        Map<String, Object> logMount = after.mountCovering(AUDIT.logPath()).orElseThrow();
        assertNotEquals(AUDIT.logPath(), logMount.get("mountPath"), "the log file alone must not be the mount");
        assertNotEquals(true, logMount.get("readOnly"));
        assertTrue(List.of("", "Directory", "DirectoryOrCreate").contains(after.hostPathType((String) logMount.get("name"))));

        assertEquals(List.of(), ManifestPreflight.unmountedPaths(ApiServerManifest.parse(name, enable(name).after())));
    }

    @ParameterizedTest
    @MethodSource("editable")
    void enableKeepsEveryOtherLineAndAddsOnlyAuditLines(String name) throws Exception {
        String before = CorpusManifests.read(name);
        String after = enable(name).after();
        List<String> afterLines = List.of(after.split("\n", -1));
        List<String> unmatched = new ArrayList<>();
        boolean[] used = new boolean[afterLines.size()];
        int cursor = 0;
        for (String line : before.split("\n", -1)) {
            int at = afterLines.subList(cursor, afterLines.size()).indexOf(line);
            if (at < 0) {
                unmatched.add(line);
            } else {
                used[cursor + at] = true;
                cursor += at + 1;
            }
        }
        for (String line : unmatched) {
            assertTrue(line.contains("--audit-"), "only audit flag lines may be rewritten, but this one changed: " + line);
        }
        for (int i = 0; i < afterLines.size(); i++) {
            String line = afterLines.get(i).trim();
            if (!used[i]) {
                assertTrue(line.contains("audit") || line.startsWith("- hostPath:") || line.equals("type: File")
                        || line.equals("type: DirectoryOrCreate") || line.equals("readOnly: true")
                        || line.equals("annotations:"), "unexpected new line: " + line);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("editable")
    void enableOnItsOwnOutputChangesNothing(String name) throws Exception {
        ManifestEdit first = enable(name);
        assertTrue(first.changed());
        ManifestEdit second = AuditManifestEditor.enable(ApiServerManifest.parse(name, first.after()), AUDIT, SHA);
        assertFalse(second.changed(), () -> second.unifiedDiff(name));
        assertEquals(first.after(), second.after());
        assertEquals(List.of(), second.changes());
        assertEquals("", second.unifiedDiff(name));
    }

    @ParameterizedTest
    @MethodSource("editable")
    void disableRestoresTheOriginalByteForByte(String name) throws Exception {
        String original = CorpusManifests.read(name);
        ManifestEdit disabled = AuditManifestEditor.disable(ApiServerManifest.parse(name, enable(name).after()));
        assertTrue(disabled.changed());
        assertEquals(original, disabled.after(), () -> UnifiedDiff.of(original, disabled.after(), name, 3));
        assertEquals(PodView.of(original), PodView.of(disabled.after()));
        assertFalse(AuditManifestEditor.disable(ApiServerManifest.parse(name, disabled.after())).changed(), "disable is idempotent");
    }

    @ParameterizedTest
    @MethodSource("editable")
    void theDiffOfAnEditTransformsTheOriginalIntoTheResult(String name) throws Exception {
        ManifestEdit edit = enable(name);
        assertEquals(edit.after(), UnifiedDiffTest.apply(edit.before(), edit.unifiedDiff(name)));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedManifestsNameTheFileAndTheReason(String name, String reason) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> enable(name));
        assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static final Map<String, ManifestEdit> ENABLED = new ConcurrentHashMap<>();

    /** The defaults applied to a corpus manifest; computed once per file (edits are immutable values). */
    static ManifestEdit enable(String name) throws Exception {
        ManifestEdit known = ENABLED.get(name);
        if (known == null) {
            known = AuditManifestEditor.enable(CorpusManifests.parse(name), AUDIT, SHA);
            ENABLED.put(name, known);
        }
        return known;
    }
}
