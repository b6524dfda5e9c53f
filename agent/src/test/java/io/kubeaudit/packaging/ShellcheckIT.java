package io.kubeaudit.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

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
}
