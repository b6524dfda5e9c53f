package io.kubeaudit.ship.kafka;

import io.kubeaudit.ship.sink.AuditFields;
import io.kubeaudit.ship.sink.SinkBatch;
import io.kubeaudit.ship.sink.SinkEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Events and batches as the pipeline hands them to a sink, for the Kafka sink's tests. */
final class TestEvents {

    private TestEvents() {
    }

    /** An event as the pipeline hands it to a sink. */
    record TestEvent(byte[] bytes) implements SinkEvent {

        static TestEvent of(int request, String stage, int code) {
            return new TestEvent(("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\""
                    + String.format("00000000-0000-4000-8000-%012d", request) + "\",\"stage\":\"" + stage
                    + "\",\"verb\":\"get\",\"user\":{\"username\":\"alice\"},\"responseStatus\":{\"code\":" + code + "}}")
                    .getBytes(StandardCharsets.UTF_8));
        }

        static TestEvent padded(int request, int bytes) {
            String head = new String(of(request, "ResponseComplete", 200).bytes, StandardCharsets.UTF_8);
            return new TestEvent((head.substring(0, head.length() - 1) + ",\"requestObject\":{\"data\":\"" + "x".repeat(bytes) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int length() {
            return bytes.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes);
        }

        @Override
        public AuditFields fields() {
            return AuditFields.read(bytes);
        }
    }

    record TestBatch(List<TestEvent> events) implements SinkBatch {
        @Override
        public long bytes() {
            return events.stream().mapToLong(TestEvent::length).sum();
        }
    }
}
