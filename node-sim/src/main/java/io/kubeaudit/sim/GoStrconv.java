package io.kubeaudit.sim;

import java.math.BigInteger;

/** Go's strconv.ParseInt and ParseUint for 64 bits, as the Go release a server was built with has them; null = error. */
final class GoStrconv {

    private static final BigInteger TWO_64 = BigInteger.TWO.pow(64);
    private static final BigInteger TWO_63 = BigInteger.TWO.pow(63);

    private GoStrconv() {
    }

    /**
     * @param base  0: from the prefix ("0x" hex, a leading "0" octal; from Go 1.13 also "0o" and "0b")
     * @param go113 whether the 0o/0O/0b/0B prefixes exist (Go 1.13 and newer)
     */
    static BigInteger parseUint(String s, int base, boolean go113) {
        if (s.isEmpty()) {
            return null;
        }
        int from = 0;
        if (base == 0) {
            base = 10;
            if (s.charAt(0) == '0') {
                base = 8;
                from = 1;
                if (s.length() >= 3) {
                    switch (s.charAt(1)) {
                        case 'x', 'X' -> {
                            base = 16;
                            from = 2;
                        }
                        case 'o', 'O' -> {
                            if (go113) {
                                from = 2;
                            }
                        }
                        case 'b', 'B' -> {
                            if (go113) {
                                base = 2;
                                from = 2;
                            }
                        }
                        default -> {
                        }
                    }
                }
            }
        }
        BigInteger n = BigInteger.ZERO;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'z') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'Z') {
                d = c - 'A' + 10;
            } else {
                return null;
            }
            if (d >= base) {
                return null;
            }
            n = n.multiply(BigInteger.valueOf(base)).add(BigInteger.valueOf(d));
        }
        return n.compareTo(TWO_64) < 0 ? n : null;
    }

    static BigInteger parseInt(String s, int base, boolean go113) {
        if (s.isEmpty()) {
            return null;
        }
        boolean neg = s.charAt(0) == '-';
        BigInteger u = parseUint(neg || s.charAt(0) == '+' ? s.substring(1) : s, base, go113);
        if (u == null || (neg ? u.compareTo(TWO_63) > 0 : u.compareTo(TWO_63) >= 0)) {
            return null;
        }
        return neg ? u.negate() : u;
    }
}
