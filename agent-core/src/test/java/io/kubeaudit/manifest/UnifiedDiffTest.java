package io.kubeaudit.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnifiedDiffTest {

    private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@");

    @Test
    void equalTextsHaveNoDiff() {
        assertEquals("", UnifiedDiff.of("a\nb\n", "a\nb\n", "f", 3));
    }

    @Test
    void oneChangedLineWithThreeLinesOfContextEachSide() {
        String before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        String after = "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n";
        assertEquals("""
                --- f
                +++ f
                @@ -2,7 +2,7 @@
                 2
                 3
                 4
                -5
                +FIVE
                 6
                 7
                 8
                """, UnifiedDiff.of(before, after, "f", 3));
    }

    @Test
    void distantChangesMakeSeparateHunksAndCloseOnesMerge() {
        StringBuilder before = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            before.append(i).append('\n');
        }
        String after = before.toString().replace("2\n", "two\n").replace("\n18\n", "\neighteen\n");
        String diff = UnifiedDiff.of(before.toString(), after, "f", 3);
        assertEquals(2, diff.lines().filter(l -> l.startsWith("@@")).count(), diff);
        String close = before.toString().replace("\n5\n", "\nfive\n").replace("\n11\n", "\neleven\n");
        assertEquals(1, UnifiedDiff.of(before.toString(), close, "f", 3).lines().filter(l -> l.startsWith("@@")).count());
    }

    @Test
    void insertionIntoAnEmptyTextAndAMissingFinalNewlineAreMarked() {
        assertEquals("--- f\n+++ f\n@@ -0,0 +1,2 @@\n+a\n+b\n", UnifiedDiff.of("", "a\nb\n", "f", 3));
        assertEquals("--- f\n+++ f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n", UnifiedDiff.of("a", "a\n", "f", 3));
    }

    @Test
    void gnuPatchAppliesTheDiffOfAManifestEdit(@TempDir Path dir) throws Exception {
        Path patchTool = Path.of("/usr/bin/patch");
        Assumptions.assumeTrue(Files.isExecutable(patchTool), "GNU patch not installed");
        ManifestEdit edit = AuditManifestEditorCorpusTest.enable(CorpusManifests.V1_28_COMMENTS);
        Path manifest = Files.writeString(dir.resolve("kube-apiserver.yaml"), edit.before());
        Path diff = Files.writeString(dir.resolve("edit.diff"), edit.unifiedDiff("kube-apiserver.yaml"));
        Process p = new ProcessBuilder(patchTool.toString(), "--batch", "--fuzz=0", manifest.toString(), "-i", diff.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals(edit.after(), Files.readString(manifest));
    }

    @Test
    void randomEditsRoundTripThroughTheDiffWithAMinimalNumberOfChangedLines() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<String> a = randomLines(random);
            List<String> b = mutate(a, random);
            String before = String.join("\n", a) + (random.nextBoolean() ? "\n" : "");
            String after = String.join("\n", b) + (random.nextBoolean() ? "\n" : "");
            int context = random.nextInt(4);
            String diff = UnifiedDiff.of(before, after, "f", context);
            assertEquals(after, apply(before, diff), "round " + round + "\n" + diff);
            long changed = diff.lines().filter(l -> (l.startsWith("-") && !l.startsWith("---")) || (l.startsWith("+") && !l.startsWith("+++"))).count();
            assertEquals(minimalChanges(lines(before), lines(after)), changed, "round " + round + "\n" + diff);
        }
    }

    private static List<String> randomLines(Random random) {
        List<String> out = new ArrayList<>();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
            out.add(String.valueOf((char) ('a' + random.nextInt(5))));
        }
        return out;
    }

    private static List<String> mutate(List<String> a, Random random) {
        List<String> b = new ArrayList<>(a);
        int edits = random.nextInt(6);
        for (int i = 0; i < edits; i++) {
            int at = b.isEmpty() ? 0 : random.nextInt(b.size());
            switch (random.nextInt(3)) {
                case 0 -> b.add(at, String.valueOf((char) ('a' + random.nextInt(5))));
                case 1 -> {
                    if (!b.isEmpty()) {
                        b.remove(at);
                    }
                }
                default -> {
                    if (!b.isEmpty()) {
                        b.set(at, "x");
                    }
                }
            }
        }
        return b;
    }

    /** Lines with their breaks, as the diff compares them. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    /** Deleted plus inserted lines of a shortest edit script: n + m - 2 * LCS. */
    private static long minimalChanges(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        return a.size() + b.size() - 2L * lcs[0][0];
    }

    /** A strict patch applier: context and removed lines must match the text exactly where the hunk says. */
    static String apply(String before, String diff) {
        if (diff.isEmpty()) {
            return before;
        }
        List<String> source = lines(before);
        List<String> out = new ArrayList<>();
        List<String> patch = List.of(diff.split("\n", -1));
        int next = 0;
        int i = 2;
        while (i < patch.size() && !patch.get(i).isEmpty()) {
            Matcher h = HUNK.matcher(patch.get(i));
            if (!h.matches()) {
                throw new AssertionError("not a hunk header: " + patch.get(i));
            }
            int start = Integer.parseInt(h.group(1));
            int count = h.group(2) == null ? 1 : Integer.parseInt(h.group(2));
            int from = count == 0 ? start : start - 1;
            while (next < from) {
                out.add(source.get(next++));
            }
            i++;
            while (i < patch.size() && !patch.get(i).startsWith("@@") && !patch.get(i).isEmpty()) {
                String line = patch.get(i);
                boolean noNewline = i + 1 < patch.size() && patch.get(i + 1).startsWith("\\ No newline");
                String body = line.substring(1) + (noNewline ? "" : "\n");
                switch (line.charAt(0)) {
                    case ' ' -> {
                        assertEquals(body, source.get(next++), "context mismatch");
                        out.add(body);
                    }
                    case '-' -> assertEquals(body, source.get(next++), "removed line mismatch");
                    case '+' -> out.add(body);
                    default -> throw new AssertionError("bad patch line: " + line);
                }
                i += noNewline ? 2 : 1;
            }
        }
        while (next < source.size()) {
            out.add(source.get(next++));
        }
        return String.join("", out);
    }

    @Test
    void theTestApplierRejectsAPatchThatDoesNotFit() {
        String diff = UnifiedDiff.of("a\nb\n", "a\nc\n", "f", 1);
        AssertionError e = assertThrows(AssertionError.class, () -> apply("a\nx\n", diff));
        assertTrue(e.getMessage().contains("mismatch"));
    }
}
