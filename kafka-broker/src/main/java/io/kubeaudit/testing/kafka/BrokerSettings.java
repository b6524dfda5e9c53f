package io.kubeaudit.testing.kafka;

import java.util.Map;

/**
 * How a test broker is set up.
 *
 * @param heapMb     the broker JVM's heap (tests: 256; the bench: more, it writes a gigabyte)
 * @param partitions partitions of topics the broker creates on first use
 * @param saslUsers  user name to password; not empty: a SASL_PLAINTEXT listener too, with PLAIN for these users
 *                   and SCRAM-SHA-256/512 credentials for them written at format time
 * @param authorize  StandardAuthorizer on: the PLAINTEXT listener (anonymous) is a super user, SASL users may do
 *                   only what ACLs allow
 * @param overrides  further broker properties (e.g. {@code message.max.bytes}); they win over the ones above
 */
public record BrokerSettings(int heapMb, int partitions, Map<String, String> saslUsers, boolean authorize,
                             Map<String, String> overrides) {

    public BrokerSettings {
        saslUsers = Map.copyOf(saslUsers);
        overrides = Map.copyOf(overrides);
        if (authorize && saslUsers.isEmpty()) {
            throw new IllegalArgumentException("authorize needs SASL users: anonymous clients are super users");
        }
    }

    public static BrokerSettings defaults() {
        return new BrokerSettings(256, 3, Map.of(), false, Map.of());
    }

    public BrokerSettings withHeapMb(int mb) {
        return new BrokerSettings(mb, partitions, saslUsers, authorize, overrides);
    }

    public BrokerSettings withPartitions(int n) {
        return new BrokerSettings(heapMb, n, saslUsers, authorize, overrides);
    }

    public BrokerSettings withSaslUsers(Map<String, String> users, boolean authorize) {
        return new BrokerSettings(heapMb, partitions, users, authorize, overrides);
    }

    public BrokerSettings withOverrides(Map<String, String> properties) {
        return new BrokerSettings(heapMb, partitions, saslUsers, authorize, properties);
    }
}
