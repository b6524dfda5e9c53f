package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NeedleTest {

    private static int find(String needle, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return Needle.text(needle).indexIn(b, 0, b.length);
    }

    @Test
    void findsTheFirstOccurrenceAtEveryAlignmentAndBufferEnd() {
        String needle = "\"deployments\"";
        for (int pad = 0; pad < 40; pad++) {
            String text = "x".repeat(pad) + needle + "y".repeat(pad % 9);
            assertEquals(pad, find(needle, text), text);
            assertEquals(pad, find(needle, text + needle), "first of two");
        }
        assertEquals(-1, find(needle, "\"deployment\" \"deploymentsx\""));
        assertEquals(0, find("ab", "ab"));
    }

    @Test
    void agreesWithStringIndexOfOnRandomText() {
        Random random = new Random(7);
        String alphabet = "\"eatsoin:rc,{}x@";
        for (int round = 0; round < 3000; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(120); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            int length = 2 + random.nextInt(5);
            StringBuilder needle = new StringBuilder();
            for (int i = 0; i < length; i++) {
                needle.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] b = text.toString().getBytes(StandardCharsets.US_ASCII);
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            assertEquals(text.indexOf(needle.toString(), from), Needle.text(needle.toString()).indexIn(b, from, b.length), text + " / " + needle + " from " + from);
        }
    }

    @Test
    void aNumberMustStandAloneAsAJsonValue() {
        byte[] b = "{\"t\":\"12:00:00.403512Z\",\"ip\":\"10.0.403.1\",\"responseStatus\":{\"code\": 403}}".getBytes(StandardCharsets.US_ASCII);
        int at = Needle.number("403").indexIn(b, 0, b.length);
        assertEquals(new String(b, StandardCharsets.US_ASCII).indexOf(" 403") + 1, at);
        byte[] none = "{\"code\":4031,\"x\":1403}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, Needle.number("403").indexIn(none, 0, none.length));
        byte[] inList = "[200,403]".getBytes(StandardCharsets.US_ASCII);
        assertEquals(5, Needle.number("403").indexIn(inList, 0, inList.length));
    }
}
