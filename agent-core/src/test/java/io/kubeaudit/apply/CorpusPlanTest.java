package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubeaudit.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every real-world manifest and policy goes through preflight: a plan, or a clear refusal with nothing changed. */
class CorpusPlanTest {

    @TempDir
    Path sandboxes;

    private static List<Path> files(String folder) throws IOException {
        try (Stream<Path> s = Files.list(Sandbox.corpus(folder))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private Preflight preflight(Path root, String policy) {
        AgentConfig config = Sandbox.config(root, policy, Duration.ofSeconds(5), List.of("true"), "");
        return new Preflight(config, p -> new DiskSpace.Usable(1L << 40, "/"), c -> Optional.of(Path.of(c)));
    }

    /** Runs preflight on a fresh node holding {@code manifest}; returns the refusal, or empty with the plan checked. */
    private Optional<List<String>> plan(String name, byte[] manifest, String policy, Path policyFile) throws Exception {
        Path root = Files.createTempDirectory(sandboxes, "node");
        Sandbox.node(root, manifest);
        if (policyFile != null) {
            Files.copy(policyFile, root.resolve(policy.substring(1)));
        }
        try (Stream<Path> before = Files.walk(root)) {
            List<Path> filesBefore = before.toList();
            try {
                SetupPlan plan = preflight(root, policy).planSetup();
                assertTrue(plan.changesAnything(), name + ": a plan that changes nothing on a node without this policy");
                assertTrue(plan.after().flag("--audit-policy-file").isPresent(), name);
                assertTrue(plan.diff().contains("+++ " + Sandbox.MANIFEST), name + ": " + plan.diff());
                return Optional.empty();
            } catch (SetupRefusedException e) {
                return Optional.of(e.problems());
            } finally {
                assertArrayEquals(manifest, Files.readAllBytes(root.resolve(Sandbox.MANIFEST.substring(1))), name + " was changed");
                try (Stream<Path> after = Files.walk(root)) {
                    assertTrue(after.toList().equals(filesBefore), name + ": preflight created files");
                }
            }
        }
    }

    @TestFactory
    List<DynamicTest> everyCorpusManifestIsPlannedOrClearlyRefused() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files("manifests")) {
            String name = file.getFileName().toString();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Optional<List<String>> refusal = plan(name, Files.readAllBytes(file), "recommended", null);
                refusal.ifPresent(problems -> {
                    for (String p : problems) {
                        // A refusal names the file, or says which setting or node part is the problem.
                        assertTrue(p.startsWith(Sandbox.MANIFEST) || p.contains("kube-apiserver"), name + ": " + p);
                    }
                });
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyCorpusPolicyIsPlannedOrRefusedNamingIt() throws IOException {
        byte[] manifest = Files.readAllBytes(Sandbox.corpus(Sandbox.PRISTINE));
        List<DynamicTest> tests = new ArrayList<>();
        for (String folder : List.of("policies", "policies/invalid")) {
            for (Path file : files(folder)) {
                String name = folder + "/" + file.getFileName();
                boolean invalid = folder.endsWith("invalid");
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Optional<List<String>> refusal = plan(name, manifest, "/" + file.getFileName(), file);
                    if (invalid && refusal.isEmpty()) {
                        fail(name + " is invalid but was planned");
                    }
                    if (!invalid && refusal.isPresent()) {
                        fail(name + " is valid but was refused: " + refusal.get());
                    }
                    refusal.ifPresent(problems -> assertTrue(problems.get(0).startsWith("/" + file.getFileName()), problems.get(0)));
                }));
            }
        }
        assertFalse(tests.isEmpty());
        return tests;
    }
}
