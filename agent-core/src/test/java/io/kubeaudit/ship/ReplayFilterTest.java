package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.FileId;
import io.kubeaudit.tail.LogLine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {

    private static final FileId OLD = new FileId(1, 10, "fp-old");
    private static final FileId CURRENT = new FileId(1, 11, "fp-current");
    private static final FileId CURRENT_COMPRESSED = new FileId(1, 12, "fp-current");

    @Test
    void skipsOnlyLinesOfItsOwnFileUpToItsOffsetThenSwitchesOff() {
        ReplayFilter f = ReplayFilter.after(Optional.of(new Checkpoint(CURRENT, "audit.log", 300)), Optional.of(new Checkpoint(OLD, "a", 0)));
        assertFalse(f.alreadyDelivered(line(OLD, 0)), "an earlier file is sent again: its position is unknown");
        assertTrue(f.alreadyDelivered(line(CURRENT_COMPRESSED, 0)), "the same content, read from its .gz");
        assertTrue(f.alreadyDelivered(line(CURRENT, 200)));
        assertFalse(f.alreadyDelivered(line(CURRENT, 300)));
        assertFalse(f.isActive());
        assertFalse(f.alreadyDelivered(line(CURRENT, 0)), "off for good, even if the file is read again from 0");
    }

    @Test
    void movingPastTheFileSwitchesItOff() {
        ReplayFilter f = ReplayFilter.after(Optional.of(new Checkpoint(OLD, "a", 1000)), Optional.empty());
        assertTrue(f.alreadyDelivered(line(OLD, 0)));
        assertFalse(f.alreadyDelivered(line(CURRENT, 0)));
        assertFalse(f.isActive());
    }

    @Test
    void withoutItsOwnCheckpointOrAtTheReadersEverythingGoes() {
        Checkpoint c = new Checkpoint(CURRENT, "audit.log", 300);
        assertFalse(ReplayFilter.after(Optional.empty(), Optional.of(c)).isActive());
        assertFalse(ReplayFilter.after(Optional.of(c), Optional.of(c)).isActive());
    }

    private static LogLine line(FileId file, long offset) {
        return new LogLine(0, file, "p", offset, offset + 100, new byte[99]);
    }
}
