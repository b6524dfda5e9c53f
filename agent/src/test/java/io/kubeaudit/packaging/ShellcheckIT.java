package io.kubeaudit.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellcheckIT {

    @Test
    void everyShellScriptIsCleanUnderShellcheck() throws Exception {
        Path shellcheck = HostTool.require("shellcheck", "shellcheck");
        List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--shell=bash", "--severity=style"));
        for (String script : List.of("install.sh", "kube-audit-agent", ".ci/run")) {
            command.add(Repo.file(script).toString());
        }
        Path bench = Repo.file("bench");
        if (Files.isDirectory(bench)) {
            try (Stream<Path> scripts = Files.walk(bench)) {
                scripts.filter(p -> p.toString().endsWith(".sh")).forEach(p -> command.add(p.toString()));
            }
        }
        Run run = Run.of(command, Repo.root());
        assertEquals(0, run.exitCode(), run.both());
    }

    /** The Debian maintainer scripts are POSIX sh (dpkg runs them with /bin/sh, dash on Debian). */
    @Test
    void theMaintainerScriptsArePosixShell() throws Exception {
        Path shellcheck = HostTool.require("shellcheck", "shellcheck");
        List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--shell=sh", "--severity=style"));
        for (String script : List.of("postinst", "prerm", "postrm")) {
            command.add(Repo.file("packaging/deb/" + script).toString());
        }
        Run run = Run.of(command, Repo.root());
        assertEquals(0, run.exitCode(), run.both());
    }

    /** The completion the CLI writes from its help. */
    @Test
    void theGeneratedCompletionIsClean(@TempDir Path dir) throws Exception {
        Path shellcheck = HostTool.require("shellcheck", "shellcheck");
        Run docs = Run.of(List.of("java", "-jar", TestJar.write(dir.resolve("agent.jar")).toString(), "docs", dir.toString()), dir);
        assertEquals(0, docs.exitCode(), docs.both());
        Run run = Run.of(List.of(shellcheck.toString(), "--shell=bash", "--severity=style", dir.resolve("kube-audit-agent.bash").toString()), dir);
        assertEquals(0, run.exitCode(), run.both());
    }
}
