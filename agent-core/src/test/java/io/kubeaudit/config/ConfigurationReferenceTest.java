package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

    private static final Path COMMITTED = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/configuration.md");

    /** The committed reference is what the table prints; -Dreference.update=true rewrites it instead of failing. */
    @Test
    void theCommittedReferenceIsTheTablePrinted() throws Exception {
        String generated = Reference.markdown();
        if (Boolean.getBoolean("reference.update")) {
            Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
        assertEquals(generated, committed, "docs/configuration.md is out of date with the settings table; regenerate it with"
                + " mvn -B -ntp -pl agent-core -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dreference.update=true");
    }

    @Test
    void theDefaultsBlockLoadsAsTheDefaults() throws Exception {
        String md = Reference.markdown();
        int start = md.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = md.substring(start, md.indexOf("```\n", start));
        assertEquals(AgentConfig.defaults(), ConfigLoader.parse("configuration.md", yaml));
    }

    @Test
    void everySettingHasARowWithItsTypeDefaultRulesAndDescription() {
        String md = Reference.markdown();
        assertTrue(md.contains("| `reconcileInterval` | duration | `1m` | must be at least 1s | how often the manifest"), md);
        assertTrue(md.contains("| `maxAge` | integer | `30` | must be between 0 and 3650 |"), md);
        assertTrue(md.contains("| `nodeName` | string | the host name |"), md);
        assertTrue(md.contains("| `name` | string | required | may hold only letters"), md);
        assertTrue(md.contains("### `type: webhook`"), md);
        assertTrue(md.contains("Authorization: Bearer &lt;token&gt;"), md);
        assertTrue(md.contains("Across these settings: 0 < initial <= max."), md);
    }
}
