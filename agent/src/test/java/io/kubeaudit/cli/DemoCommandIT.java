package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "run it" command, whole: setup on a simulated node, events, a no-op second run, and a
 * policy the server refuses at start, rolled back to the running configuration with the server's reason.
 */
class DemoCommandIT {

    @TempDir
    Path root;

    @Test
    void theDemoShowsEveryStepAndChecksWhatItShows() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"demo", "--root", root.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);

        assertEquals(Main.OK, code, printed + err);
        for (String step : new String[] {"[demo] 1. kube-audit-agent setup", "[setup/swap]", "[setup/health] audit event at",
                "[demo] 2. audit events flowing", "[demo] 3. setup again", "manifest byte-identical: true",
                "[demo] 4. a policy the server refuses", "[setup/rollback]", "where everything is"}) {
            assertTrue(printed.contains(step), step + " missing:\n" + printed);
        }
        // The server's own reason, and the running configuration back in place.
        assertTrue(printed.contains("no kind \"Policy\" is registered for version \"audit.k8s.io/v1beta1\""), printed);
        assertTrue(printed.contains("put back the previous policy /etc/kubernetes/audit-policy.yaml"), printed);
        assertTrue(printed.contains("manifest restored byte for byte: true; server healthy again: true"), printed);
        assertFalse(printed.contains("UNEXPECTED"), printed);
        assertTrue(printed.contains("demo complete"), printed);
    }
}
