package io.kubeaudit.apply.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTableWatchIT {

    private final List<ProcessTableWatch.ServerProcess> table = new ArrayList<>();

    private static ProcessTableWatch.ServerProcess apiserver(long pid, long start, String... flags) {
        List<String> args = new ArrayList<>(List.of("/usr/local/bin/kube-apiserver", "--secure-port=6443"));
        args.addAll(List.of(flags));
        return new ProcessTableWatch.ServerProcess(pid, start, args, "/");
    }

    @Test
    void onlyANewProcessWithTheNewFlagsCounts() {
        table.add(apiserver(10, 1000));
        table.add(new ProcessTableWatch.ServerProcess(11, 1000, List.of("bash"), "/"));
        ProcessTableWatch watch = ProcessTableWatch.start(() -> List.copyOf(table), Map.of("--audit-log-path", "/var/log/a.log"), Set.of());
        assertEquals(0, watch.poll().count(), "the old server is not a restart");

        table.add(apiserver(12, 2000));
        assertEquals(0, watch.poll().count(), "a new process without the new flags is not our configuration");

        table.add(apiserver(13, 3000, "--audit-log-path=/var/log/a.log"));
        RestartWatch.Restarts r = watch.poll();
        assertEquals(1, r.count());
        assertTrue(r.latest().contains("pid 13"), r.latest());

        table.remove(table.size() - 1);
        table.add(apiserver(14, 4000, "--audit-log-path=/var/log/a.log"));
        assertEquals(2, watch.poll().count(), "an exited instance still counts: a crash loop is visible");
    }

    @Test
    void pidReuseWithAnotherStartTimeIsANewProcess() {
        table.add(apiserver(10, 1000, "--audit-log-path=/a"));
        ProcessTableWatch watch = ProcessTableWatch.start(() -> List.copyOf(table), Map.of(), Set.of("--audit-log-path"));
        table.clear();
        table.add(apiserver(10, 5000));
        assertEquals(1, watch.poll().count());
    }

    @Test
    void readsTheRealProcessTableOfThisSandboxOnly(@TempDir Path sandbox) throws Exception {
        String log = "/proof/" + UUID.randomUUID();
        String marker = "--audit-log-path=" + log;
        Path container = Files.createDirectories(sandbox.resolve("containers/abc/rootfs"));
        ProcessTableWatch watch = ProcessTableWatch.start(ProcessTableWatch.oshi(sandbox), Map.of("--audit-log-path", log), Set.of());
        ProcessTableWatch otherSandbox = ProcessTableWatch.start(ProcessTableWatch.oshi(sandbox.resolve("other")),
                Map.of("--audit-log-path", log), Set.of());
        // A process whose argv[0] is kube-apiserver, working in its container's root, as a kubelet starts it.
        Process p = new ProcessBuilder("bash", "-c", "exec -a kube-apiserver sh -c 'sleep 20; true' sh " + marker)
                .directory(container.toFile()).start();
        try {
            RestartWatch.Restarts r = RestartWatch.Restarts.NONE;
            for (int i = 0; i < 50 && r.count() == 0; i++) {
                r = watch.poll();
                if (r.count() == 0) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            assertEquals(1, r.count());
            assertTrue(r.latest().contains("pid " + p.pid()), r.latest());
            assertEquals(0, otherSandbox.poll().count(), "another sandbox's server is not ours");
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
