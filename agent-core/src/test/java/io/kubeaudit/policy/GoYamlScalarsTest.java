package io.kubeaudit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.policy.GoYamlScalars.Build;
import io.kubeaudit.policy.GoYamlScalars.Kind;
import io.kubeaudit.policy.GoYamlScalars.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each scalar form of go-yaml v2's resolve.go, as the newest server build and older builds read it. */
class GoYamlScalarsTest {

    private static final Build V1_12 = Build.of(new KubeVersion(1, 12, 10));
    private static final Build V1_16_1 = Build.of(new KubeVersion(1, 16, 1));
    private static final Build V1_16_2 = Build.of(new KubeVersion(1, 16, 2));

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            // booleans: YAML 1.1 words, one-letter forms included (SnakeYAML reads y and n as strings)
            "y|BOOL|true", "Y|BOOL|true", "yes|BOOL|true", "Yes|BOOL|true", "YES|BOOL|true",
            "n|BOOL|false", "N|BOOL|false", "no|BOOL|false", "No|BOOL|false", "NO|BOOL|false",
            "on|BOOL|true", "On|BOOL|true", "ON|BOOL|true", "off|BOOL|false", "Off|BOOL|false", "OFF|BOOL|false",
            "true|BOOL|true", "True|BOOL|true", "TRUE|BOOL|true", "false|BOOL|false", "False|BOOL|false", "FALSE|BOOL|false",
            // other spellings stay strings: the lookup is exact
            "yEs|STRING|yEs", "tRUE|STRING|tRUE", "oN|STRING|oN", "nO|STRING|nO",
            // null
            "~|NULL|null", "null|NULL|null", "Null|NULL|null", "NULL|NULL|null", "nULL|STRING|nULL",
            // integers: decimal, signed, octal with a leading 0 and (Go 1.13) 0o, hex, binary, underscores dropped
            "15|INT|15", "+15|INT|15", "-15|INT|-15", "017|INT|15", "-017|INT|-15", "0o17|INT|15", "0O17|INT|15",
            "0x1F|INT|31", "0X1f|INT|31", "-0x1F|INT|-31", "0b101|INT|5", "0B101|INT|5", "-0b101|INT|-5", "1_000|INT|1000",
            "0|INT|0", "00|INT|0", "9223372036854775808|INT|9223372036854775808", "0xFFFFFFFFFFFFFFFF|INT|18446744073709551615",
            // floats: 08 and 09 are not octal, so they become floats; exponent, trailing point; specials
            "08|FLOAT|8", "1.5|FLOAT|1.5", "1e3|FLOAT|1000", "1E+3|FLOAT|1000", "1.|FLOAT|1", ".5|FLOAT|0.5", "-.5|FLOAT|-0.5",
            "+1.5e-3|FLOAT|0.0015", "18446744073709551616|FLOAT|18446744073709552000", ".nan|FLOAT|NaN", ".Inf|FLOAT|+Inf",
            "-.INF|FLOAT|-Inf",
            // strings: not a number in any form go-yaml tries
            "0x|STRING|0x", "0o|STRING|0o", "0o19|STRING|0o19", "1e|STRING|1e", "1e400|STRING|1e400", ".|STRING|.",
            "1.2.3|STRING|1.2.3", "1:20|STRING|1:20", "2001-12-14|STRING|2001-12-14", "v1|STRING|v1", "<<|STRING|<<",
            "-|STRING|-", "+|STRING|+", "_1|STRING|_1", "audit.k8s.io/v1|STRING|audit.k8s.io/v1"})
    void newestBuild(String text, Kind kind, String value) {
        assertEquals(new Reading(kind, value), GoYamlScalars.plain(text, Build.NEWEST));
    }

    @Test
    void theEmptyScalarIsNull() {
        assertEquals(Kind.NULL, GoYamlScalars.plain("", Build.NEWEST).kind());
    }

    @Test
    void go112BuildsReadTheGo113PrefixesAsStrings() {
        assertEquals(new Reading(Kind.STRING, "0o17"), GoYamlScalars.plain("0o17", V1_16_2));
        assertEquals(new Reading(Kind.STRING, "0B101"), GoYamlScalars.plain("0B101", V1_16_2));
        // go-yaml's own 0b branch works with any Go, and 0x and a leading 0 always did.
        assertEquals(new Reading(Kind.INT, "5"), GoYamlScalars.plain("0b101", V1_12));
        assertEquals(new Reading(Kind.INT, "15"), GoYamlScalars.plain("017", V1_12));
        assertEquals(new Reading(Kind.INT, "31"), GoYamlScalars.plain("0x1F", V1_12));
    }

    @Test
    void goYamlBeforeV224NeedsASignedExponentAndADigitAfterThePoint() {
        assertEquals(new Reading(Kind.STRING, "1e3"), GoYamlScalars.plain("1e3", V1_16_1));
        assertEquals(new Reading(Kind.STRING, "1."), GoYamlScalars.plain("1.", V1_16_1));
        assertEquals(new Reading(Kind.FLOAT, "1000"), GoYamlScalars.plain("1e+3", V1_16_1));
        assertEquals(new Reading(Kind.FLOAT, "1000"), GoYamlScalars.plain("1e3", V1_16_2));
        assertEquals(new Reading(Kind.FLOAT, "8"), GoYamlScalars.plain("08", V1_12));
    }

    @Test
    void goStrconvEdgeCases() {
        assertEquals(null, GoYamlScalars.parseUint("", 0, true));
        assertEquals(null, GoYamlScalars.parseInt("-9223372036854775809", 0, true));
        assertEquals("-9223372036854775808", GoYamlScalars.parseInt("-9223372036854775808", 0, true).toString());
        assertEquals(null, GoYamlScalars.parseUint("18446744073709551616", 0, true));
        assertEquals(null, GoYamlScalars.parseUint("+1", 0, true), "ParseUint takes no sign");
    }
}
