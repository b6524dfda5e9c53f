package io.kubeaudit.query;

import io.kubeaudit.policy.PolicyChecker;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** One value a filter option was given, as it is compared with an event's field. */
interface ValueMatcher {

    boolean matches(String value);

    /** What every line holding a matching value contains, for the pre-filter; empty when there is no such text. */
    Optional<Needle> needle();

    /** Text compared exactly or as a {@link Glob}. */
    record Text(Glob glob) implements ValueMatcher {
        @Override
        public boolean matches(String value) {
            return glob.matches(value);
        }

        @Override
        public Optional<Needle> needle() {
            return glob.needle();
        }
    }

    /**
     * A resource as audit policies name it: {@code pods} (not its subresources), {@code pods/exec},
     * {@code pods/*} (pods and every subresource), {@code *}{@code /exec}, {@code *}; the value compared is
     * {@code resource} or {@code resource/subresource}. Matched by the policy checker's own rule.
     */
    record Resource(String pattern) implements ValueMatcher {
        private static final Pattern SYNTAX = Pattern.compile("\\*|\\*/[^/*]+|[^/*]+(/([^/*]+|\\*))?");

        static Resource parse(String pattern) throws InvalidFilterException {
            if (!SYNTAX.matcher(pattern).matches()) {
                throw new InvalidFilterException("resource \"" + pattern + "\" is not one of RESOURCE, RESOURCE/SUBRESOURCE,"
                        + " RESOURCE/*, */SUBRESOURCE or * (as in audit policies: pods, pods/exec, pods/*, */exec)");
            }
            return new Resource(pattern);
        }

        @Override
        public boolean matches(String value) {
            int slash = value.indexOf('/');
            String resource = slash < 0 ? value : value.substring(0, slash);
            String subresource = slash < 0 ? "" : value.substring(slash + 1);
            return PolicyChecker.resourceMatches(pattern, resource, subresource, value);
        }

        @Override
        public Optional<Needle> needle() {
            String longest = "";
            for (String part : pattern.split("/")) {
                if (!part.equals("*") && part.length() > longest.length()) {
                    longest = part;
                }
            }
            return longest.isEmpty() ? Optional.empty() : new Glob(longest).needle();
        }
    }

    /** A response code, {@code 403}, or a class of them with {@code x} for any digit: {@code 4xx}, {@code 40x}. */
    record Status(String pattern) implements ValueMatcher {
        private static final Pattern SYNTAX = Pattern.compile("[1-5][0-9x]{2}");

        static Status parse(String pattern) throws InvalidFilterException {
            String lower = pattern.toLowerCase(java.util.Locale.ROOT);
            if (!SYNTAX.matcher(lower).matches()) {
                throw new InvalidFilterException("status \"" + pattern + "\" is not a response code (403) or a class of them (4xx, 40x)");
            }
            return new Status(lower);
        }

        @Override
        public boolean matches(String value) {
            if (value.length() != 3) {
                return false;
            }
            for (int i = 0; i < 3; i++) {
                if (pattern.charAt(i) != 'x' && pattern.charAt(i) != value.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Optional<Needle> needle() {
            return pattern.indexOf('x') < 0 ? Optional.of(Needle.number(pattern)) : Optional.empty();
        }
    }

    /** An IP address, or a network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}). */
    record Address(String text, BigInteger network, int prefix, int bits) implements ValueMatcher {

        static Address parse(String text) throws InvalidFilterException {
            int slash = text.indexOf('/');
            String ip = slash < 0 ? text : text.substring(0, slash);
            byte[] address = literal(ip).orElseThrow(() -> new InvalidFilterException("source IP \"" + text
                    + "\" is not an IP address or CIDR network (10.0.0.5, 10.0.0.0/8, fd00::/8)"));
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new InvalidFilterException("source IP \"" + text + "\": the prefix length must be 0 to " + bits);
                }
            }
            return new Address(text, masked(new BigInteger(1, address), prefix, bits), prefix, bits);
        }

        @Override
        public boolean matches(String value) {
            Optional<byte[]> address = literal(value);
            return address.isPresent() && address.get().length * 8 == bits
                    && masked(new BigInteger(1, address.get()), prefix, bits).equals(network);
        }

        @Override
        public Optional<Needle> needle() {
            return prefix == bits && text.indexOf('/') < 0 ? new Glob(text).needle() : Optional.empty();
        }

        private static BigInteger masked(BigInteger value, int prefix, int bits) {
            return value.shiftRight(bits - prefix);
        }

        /** The bytes of a literal address; never a name lookup. */
        private static Optional<byte[]> literal(String text) {
            boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            boolean v6 = !v4 && text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+");
            if (!v4 && !v6) {
                return Optional.empty();
            }
            if (v4) {
                for (String octet : text.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        return Optional.empty();
                    }
                }
            }
            try {
                byte[] bytes = InetAddress.getByName(text).getAddress();
                // An IPv4-mapped IPv6 literal comes back as 4 bytes: compare it as the IPv4 address it is.
                return Optional.of(bytes);
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
    }
}
