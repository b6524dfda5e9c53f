package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.ConfigLoader;
import io.kubeaudit.log.Log;
import io.kubeaudit.time.Ticker;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 12: one shipper per state directory, with or without a metrics endpoint. */
class ShipperStateLockTest {

    @TempDir
    Path root;

    private AgentConfig config(String listen) throws Exception {
        return ConfigLoader.parse("config.yaml", "metrics: {listen: \"" + listen + "\"}\n"
                + "ship: {shutdownTimeout: 1s, destinations: [{name: siem, type: webhook, url: \"http://127.0.0.1:9/audit\"}]}\n")
                .withRoot(root.toString());
    }

    @Test
    void aSecondShipperIsRefusedNamingTheHolderUntilTheFirstHasStopped() throws Exception {
        try (BackgroundShipper first = BackgroundShipper.run(Shipper.open(config(""), Log.stderr(), Ticker.system()))) {
            for (String listen : new String[] {"", "127.0.0.1:0"}) {
                Shipper.ShipSetupException e = assertThrows(Shipper.ShipSetupException.class,
                        () -> Shipper.open(config(listen), Log.stderr(), Ticker.system()));
                assertTrue(e.getMessage().startsWith("another kube-audit-agent is shipping from the state directory "
                        + root.resolve("var/lib/kube-audit-agent") + " (held by pid " + ProcessHandle.current().pid()), e.getMessage());
            }
        }
        Shipper next = Shipper.open(config(""), Log.stderr(), Ticker.system());
        next.requestStop();
        next.run();
    }
}
