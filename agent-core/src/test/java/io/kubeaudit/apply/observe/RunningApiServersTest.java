package io.kubeaudit.apply.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunningApiServersTest {

    @Test
    void onlyApiServersAndOnlyTheAskedFlags() {
        RunningApiServers servers = new RunningApiServers(() -> List.of(
                new ProcessTableWatch.ServerProcess(10, 1000, List.of("/usr/local/bin/kube-apiserver", "--audit-log-path=/var/log/a.log",
                        "--audit-log-maxage=30", "--secure-port=6443"), "/"),
                new ProcessTableWatch.ServerProcess(11, 1000, List.of("etcd", "--audit-log-path=/nope"), "/")));
        assertEquals(List.of(new RunningApiServers.RunningApiServer(10, 1000,
                Map.of("--audit-log-maxage", "30", "--audit-log-path", "/var/log/a.log"))), servers.list("--audit-"));
    }
}
