package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlDocuments;
import io.kubeaudit.yaml.YamlMapping;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table mechanism itself, on a small table with two variants that each bring their own settings and rules. */
class SettingsTableTest {

    sealed interface Sink permits Http, File {
    }

    record Http(String name, String url, Duration timeout) implements Sink {
    }

    record File(String name, String path) implements Sink {
    }

    static final Setting<String> NAME = Setting.required("name", Types.STRING, "the sink's name");
    static final Setting<String> KIND = Setting.required("kind", Types.STRING, "the sink's kind");
    static final Setting<String> URL = Setting.required("url", Types.STRING, "where to send")
            .check(u -> u.startsWith("https://"), "must start with https://");
    static final Setting<Duration> TIMEOUT = Setting.of("timeout", Types.DURATION, Duration.ofSeconds(5), "how long a request may take");
    static final Setting<String> PATH = Setting.of("path", Types.ABSOLUTE_PATH, "/var/out", "the file");

    static final Variants<Sink> SINKS = Variants.<Sink>of(KIND)
            .with("http", Section.<Sink>of("sinks[]", "An HTTP sink.", v -> new Http(v.get(NAME), v.get(URL), v.get(TIMEOUT)),
                    NAME, KIND, URL, TIMEOUT))
            .with("file", Section.<Sink>of("sinks[]", "A file sink.", v -> new File(v.get(NAME), v.get(PATH)), NAME, KIND, PATH));

    static final Setting<List<Sink>> LIST = Setting.of("sinks", ListType.of(SINKS), List.of(), "the sinks");
    static final Section<List<Sink>> TOP = Section.of("", "test", v -> v.get(LIST), LIST);

    private static List<Sink> read(String yaml) throws InvalidInputException {
        return TOP.read(YamlMapping.of("t.yaml", "", YamlDocuments.single("t.yaml", yaml)));
    }

    @Test
    void eachVariantReadsItsOwnTableIntoItsOwnRecord() throws Exception {
        assertEquals(List.of(new Http("a", "https://x", Duration.ofSeconds(5)), new File("b", "/tmp/out")),
                read("sinks:\n- {name: a, kind: http, url: 'https://x'}\n- {name: b, kind: file, path: /tmp/out}\n"));
    }

    @Test
    void aSettingOfAnotherVariantIsUnknownHere() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> read("sinks:\n- {name: b, kind: file, url: 'https://x'}\n"));
        assertEquals("t.yaml:2:25: unknown field \"sinks[0].url\"", e.getMessage());
    }

    @Test
    void aVariantsRulesApplyToItsSettings() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> read("sinks:\n- {name: a, kind: http, url: 'http://x'}\n"));
        assertEquals("t.yaml:2:30: sinks[0].url must start with https://", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> read("sinks:\n- {name: a, kind: pigeon}\n"));
        assertEquals("t.yaml:2:19: sinks[0].kind \"pigeon\" is not one of [http, file]", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> read("sinks:\n- {name: a}\n"));
        assertEquals("t.yaml:2:3: sinks[0].kind is required", e.getMessage());
    }

    @Test
    void aRuleAcrossSettingsPointsAtTheSettingItNames() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ConfigLoader.parse("c.yaml", "ship:\n  retry:\n    initialBackoff: 5s\n    maxBackoff: 1s\n"));
        assertEquals("c.yaml:4:17: ship.retry.maxBackoff must not be below initialBackoff (5s)", e.getMessage());
    }

    @Test
    void aSectionNamesItsSettingsForHelpAndMessages() {
        assertEquals("setup.lease.duration", SetupConfig.Lease.SETTINGS.nameOf(SetupConfig.Lease.DURATION));
        assertThrows(IllegalArgumentException.class, () -> AuditConfig.SETTINGS.nameOf(SetupConfig.Lease.DURATION));
        assertEquals(List.of("setup.lease.enabled", "setup.lease.duration", "setup.lease.kubeconfig"),
                Reference.rows(SetupConfig.SETTINGS, SetupConfig.LEASE).stream().map(Reference.Row::name).toList());
    }
}
