package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated completion, sourced by a real bash and asked what it offers for a few command lines. */
class BashCompletionIT {

    @TempDir
    Path dir;

    private List<String> complete(String... words) throws Exception {
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        assertEquals(Main.OK, Main.run(new String[] {"completion", "bash"}, new PrintStream(script, true, StandardCharsets.UTF_8), System.err));
        Path file = Files.write(dir.resolve("completion.bash"), script.toByteArray());
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String probe = "source " + file + "; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; _kube_audit_agent; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", probe).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), output);
        return output.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void completesCommandsSubcommandsOptionsAndTheirValues() throws Exception {
        assertEquals(List.of("setup", "ship", "status"), complete("kube-audit-agent", "s"));
        assertEquals(List.of("validate", "lint", "list", "show", "simulate"), complete("kube-audit-agent", "policy", ""));
        assertEquals(List.of("text", "json"), complete("kube-audit-agent", "status", "--output", ""));
        assertEquals(List.of("--dry-run"), complete("kube-audit-agent", "setup", "--dr"));
        assertEquals(List.of("cis"), complete("kube-audit-agent", "setup", "--policy", "ci"));
        Files.createDirectories(dir.resolve("sandbox"));
        assertEquals(List.of("sandbox"), complete("kube-audit-agent", "status", "--root", "sa"));
    }
}
