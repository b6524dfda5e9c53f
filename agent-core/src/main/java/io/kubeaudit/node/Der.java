package io.kubeaudit.node;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The handful of ASN.1 DER encodings an X.509 certificate needs. The JDK parses certificates but has no
 * public API to create one; this is just enough to issue the simulated node's kubeadm-style PKI without a
 * keytool child process or a crypto library. The TLS client's PEM key reader uses the same encoder, and
 * {@link #element} to walk a SEC1 EC key.
 */
public final class Der {

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private Der() {
    }

    public static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    public static byte[] sequence(byte[]... parts) {
        return tlv(0x30, parts);
    }

    public static byte[] set(byte[]... parts) {
        return tlv(0x31, parts);
    }

    public static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    public static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0x00)});
    }

    public static byte[] octets(byte[] value) {
        return tlv(0x04, value);
    }

    /** A BIT STRING with no unused bits. */
    public static byte[] bits(byte[] value) {
        byte[] withPad = new byte[value.length + 1];
        System.arraycopy(value, 0, withPad, 1, value.length);
        return tlv(0x03, withPad);
    }

    public static byte[] utf8(String value) {
        return tlv(0x0c, value.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] utcTime(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** Explicit context tag [n], constructed. */
    public static byte[] explicit(int n, byte[] inner) {
        return tlv(0xa0 | n, inner);
    }

    /** Implicit context tag [n], primitive (GeneralName dNSName [2], iPAddress [7]). */
    public static byte[] implicit(int n, byte[] content) {
        return tlv(0x80 | n, content);
    }

    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            byte[] tmp = new byte[10];
            int k = tmp.length;
            tmp[--k] = (byte) (v & 0x7f);
            v >>= 7;
            while (v > 0) {
                tmp[--k] = (byte) (0x80 | (v & 0x7f));
                v >>= 7;
            }
            out.write(tmp, k, tmp.length - k);
        }
        return tlv(0x06, out.toByteArray());
    }

    /** One DER element's header: where it starts, its tag, where its content starts and how long it is. */
    public record Element(int start, int tag, int contentStart, int length) {
        public int end() {
            return contentStart + length;
        }
    }

    /** The element whose header starts at {@code start}; {@link IllegalArgumentException} if it is cut short. */
    public static Element element(byte[] b, int start) {
        if (start + 2 > b.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int first = b[start + 1] & 0xff;
        int at = start + 2;
        int len;
        if (first < 0x80) {
            len = first;
        } else {
            int count = first & 0x7f;
            if (count > 3 || at + count > b.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            len = 0;
            for (int i = 0; i < count; i++) {
                len = (len << 8) | (b[at++] & 0xff);
            }
        }
        Element element = new Element(start, b[start] & 0xff, at, len);
        if (element.end() > b.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return element;
    }
}
