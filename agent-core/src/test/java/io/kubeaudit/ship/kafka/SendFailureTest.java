package io.kubeaudit.ship.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.ship.kafka.SendFailure.Kind;
import io.kubeaudit.ship.sink.RetryCause;
import java.util.Set;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

class SendFailureTest {

    @Test
    void refusedCredentialsAndRightsHold() {
        for (Exception e : new Exception[] {new SaslAuthenticationException("Authentication failed: Invalid username or password"),
                new TopicAuthorizationException(Set.of("audit")), new ClusterAuthorizationException("no IDEMPOTENT_WRITE")}) {
            SendFailure f = SendFailure.of(e);
            assertEquals(Kind.HOLD_CREDENTIALS, f.kind(), e.toString());
            assertTrue(f.holds());
            assertTrue(f.stopsTheBatch());
        }
    }

    @Test
    void aRecordTooLargeIsRejectedAloneAndSaysWhichSettingToChange() {
        SendFailure f = SendFailure.of(new RecordTooLargeException("The message is 1100000 bytes when serialized which is larger than 1048576"));
        assertEquals(Kind.REJECT, f.kind());
        assertFalse(f.stopsTheBatch());
        assertTrue(f.reason().contains("RecordTooLargeException: The message is 1100000 bytes"), f.reason());
        assertTrue(f.reason().contains("maxEventBytes"), f.reason());
        assertEquals(Kind.REJECT, SendFailure.of(new InvalidRecordException("timestamp out of range")).kind());
    }

    @Test
    void temporaryTroubleIsRetriedWithItsCause() {
        assertEquals(new SendFailure(Kind.RETRY, RetryCause.TIMEOUT, "TimeoutException: Expiring 12 record(s)"),
                SendFailure.of(new TimeoutException("Expiring 12 record(s)")));
        assertEquals(RetryCause.TIMEOUT, SendFailure.of(new BufferExhaustedException("Failed to allocate 300 bytes")).cause());
        assertEquals(RetryCause.CONNECTION, SendFailure.of(new NetworkException("Disconnected")).cause());
        assertEquals(RetryCause.SERVER_ERROR, SendFailure.of(new NotEnoughReplicasException("1 of 2")).cause());
        assertEquals(Kind.RETRY, SendFailure.of(new NotLeaderOrFollowerException("moved")).kind());
    }

    @Test
    void anUnforeseenErrorIsRetriedNeverDropped() {
        assertEquals(Kind.RETRY, SendFailure.of(new KafkaException("part of a batch which had one or more invalid records")).kind());
        assertEquals(RetryCause.SINK_ERROR, SendFailure.of(new IllegalStateException("closed")).cause());
    }

    @Test
    void aClusterThatRefusesThisProducerHolds() {
        assertEquals(Kind.HOLD_BLOCKED, SendFailure.of(new InvalidTopicException("audit log")).kind());
        assertEquals(Kind.HOLD_BLOCKED, SendFailure.of(new UnsupportedVersionException("idempotence needs 0.11")).kind());
    }
}
