package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void sizesReadAsPeopleReadThem() {
        assertEquals("0 B", Units.humanSize(0));
        assertEquals("1023 B", Units.humanSize(1023));
        assertEquals("61.0 KiB", Units.humanSize(61 * 1024));
        assertEquals("64.0 MiB", Units.humanSize(64L << 20));
        assertEquals("1.1 GiB", Units.humanSize(1_233_095_865L));
    }

    @Test
    void durationsReadAsPeopleReadThem() {
        assertEquals("250ms", Units.humanDuration(Duration.ofMillis(250)));
        assertEquals("45s", Units.humanDuration(Duration.ofSeconds(45)));
        assertEquals("3m", Units.humanDuration(Duration.ofMinutes(3)));
        assertEquals("3m20s", Units.humanDuration(Duration.ofSeconds(200)));
        assertEquals("2h5m", Units.humanDuration(Duration.ofMinutes(125)));
    }
}
