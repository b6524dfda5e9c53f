package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 11: bytes that are not UTF-8 are refused with their place, never rewritten as U+FFFD. */
class NonUtf8ManifestTest {

    private static final DiskSpace PLENTY = p -> new DiskSpace.Usable(1L << 40, "/ (ext4)");

    @TempDir
    Path root;

    @Test
    void aManifestWithStrayBytesIsRefusedAtTheirPlaceAndKeepsThem() throws Exception {
        byte[] pristine = Files.readAllBytes(Sandbox.corpus(Sandbox.PRISTINE));
        ByteArrayOutputStream manifest = new ByteArrayOutputStream();
        manifest.write("# edited on a latin-1 terminal: caf".getBytes(StandardCharsets.US_ASCII));
        manifest.write(new byte[] {(byte) 0xff, (byte) 0xfe});
        manifest.write('\n');
        manifest.write(pristine);
        Sandbox.node(root, manifest.toByteArray());
        Preflight preflight = new Preflight(Sandbox.config(root), PLENTY, command -> Optional.of(Path.of("/usr/bin", command)));

        for (var plan : List.<ThrowingPlan>of(preflight::planSetup, preflight::planTeardown)) {
            SetupRefusedException e = assertThrows(SetupRefusedException.class, plan::run);
            assertEquals(Sandbox.MANIFEST + ":1:36: not UTF-8 (byte 0xff at offset 35); Kubernetes reads YAML only as UTF-8, and the"
                    + " agent edits text, so it would not give back these bytes: convert the file to UTF-8 (e.g. iconv -f latin1 -t"
                    + " utf-8) or remove the byte", e.getMessage());
        }
        assertArrayEquals(manifest.toByteArray(), Files.readAllBytes(root.resolve(Sandbox.MANIFEST.substring(1))));
    }

    private interface ThrowingPlan {
        SetupPlan run() throws SetupRefusedException;
    }
}
