package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline end to end against real HTTP receivers on 127.0.0.1, fed by a stand-in follower. */
class ShipPipelineIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyEventArrivesEnrichedAndTheCheckpointReachesTheEnd() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 2000);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, h.pipeline.resumeFrom());
            assertEquals(2000, receiver.awaitDistinct(2000, WAIT), () -> "missing " + receiver.missing(0, 2000));
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            assertEquals(2000, receiver.total(), "no duplicates without failures");
            JsonNode withAnnotations = receiver.event(AuditLines.id(1)).get("annotations");
            assertEquals("allow", withAnnotations.get("authorization.k8s.io/decision").asText());
            assertEquals("cp-1", withAnnotations.get("kube-audit-agent/node").asText());
            assertEquals("prod-eu", withAnnotations.get("kube-audit-agent/cluster").asText());
            JsonNode created = receiver.event(AuditLines.id(10)).get("annotations");
            assertEquals("cp-1", created.get("kube-audit-agent/node").asText(), "an event without annotations gets them");
            assertEquals(2000, h.value("events_shipped_total{destination=\"siem\"}"));
            assertEquals(2000, h.value("events_read_total"));
            assertEquals(LineFeeder.fileLength(lines), h.destinationCheckpoint("siem").orElseThrow().offset());
            MetricsTest.assertConventions(h.metrics.render());
        }
    }

    @Test
    void aSlowDestinationGetsSeveralBatchesAtOnce() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 1500);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            receiver.delay = Duration.ofMillis(50);
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(1500, receiver.awaitDistinct(1500, WAIT), () -> "missing " + receiver.missing(0, 1500));
            assertTrue(receiver.maxConcurrent() >= 2, "requests overlapped: " + receiver.maxConcurrent());
            assertTrue(receiver.maxConcurrent() <= 4, "never more than maxInFlight: " + receiver.maxConcurrent());
        }
    }

    @Test
    void aFifthOfRequestsFailingWith503LosesNothingAndNeverStallsLong() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 3000);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            receiver.failRate = 0.2;
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(3000, receiver.awaitDistinct(3000, WAIT), () -> "missing " + receiver.missing(0, 3000));
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            assertEquals(3000, receiver.total(), "a 503 batch was not counted, so its resend is no duplicate");
            List<Receiver.Request> requests = receiver.requests();
            assertTrue(requests.stream().anyMatch(r -> r.status() == 503), "some requests failed");
            assertTrue(h.value("retries_total{destination=\"siem\",cause=\"server_error\"}") > 0);
            long longestGapMillis = 0;
            for (int i = 1; i < requests.size(); i++) {
                longestGapMillis = Math.max(longestGapMillis, (requests.get(i).atNanos() - requests.get(i - 1).atNanos()) / 1_000_000);
            }
            assertTrue(longestGapMillis < 10_000, "no long stall between requests, longest " + longestGapMillis + "ms");
        }
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 50);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            receiver.throttleNext.set(1);
            receiver.retryAfterSeconds = 1;
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(50, receiver.awaitDistinct(50, WAIT));
            List<Receiver.Request> requests = receiver.requests();
            assertEquals(429, requests.get(0).status());
            long gapMillis = (requests.get(1).atNanos() - requests.get(0).atNanos()) / 1_000_000;
            // The harness's own backoff never exceeds 400 ms: a gap of a second is the server's Retry-After.
            assertTrue(gapMillis >= 900, "waited for Retry-After: " + gapMillis + "ms");
            assertEquals(1, h.value("retries_total{destination=\"siem\",cause=\"throttled\"}"));
        }
    }

    @Test
    void refusedCredentialsHoldEverythingAndRaiseTheAlertUntilTheTokenIsFixed() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 300);
        Path token = dir.resolve("token");
        Files.writeString(token, "wrong-secret-0123\n");
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir.resolve("state"))
                     .destination(PipelineHarness.destination("siem", receiver.url(), false, "", "", "", token.toString(), 3 << 20))
                     .start()) {
            receiver.expectedAuthorization = "Bearer right-secret-4567";
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (receiver.requests().stream().filter(r -> r.status() == 401).count() < 6 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, receiver.distinct());
            assertEquals(1, h.value("auth_failing{destination=\"siem\"}"), () -> "the alert is raised\n" + h.logs());
            assertTrue(h.readerCheckpoint().isEmpty(), "nothing is checkpointed while credentials are refused");
            assertTrue(h.logs().contains("[ship/send] destination refused the credentials"), h.logs());

            Files.writeString(token, "right-secret-4567\n");
            assertEquals(300, receiver.awaitDistinct(300, WAIT), () -> "missing " + receiver.missing(0, 300));
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            assertEquals(0, h.value("auth_failing{destination=\"siem\"}"), "the alert clears");
            assertTrue(h.logs().contains("[ship/send] credentials accepted again"), h.logs());
            assertFalse(h.logs().contains("secret"), "a token never reaches the log:\n" + h.logs());
        }
    }

    @Test
    void aPoisonEventIsFoundByHalvingItsBatchAndOnlyItIsDeadLettered() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 1000);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            receiver.poisonIds.add(AuditLines.id(150));
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT), "the checkpoint moves past the poison event");
            List<String> dead = Files.readAllLines(dir.resolve("dead-letter/siem.ndjson"));
            assertEquals(1, dead.size(), "only the poison event, not its batch of 100");
            assertEquals(AuditLines.id(150), JSON.readTree(JSON.readTree(dead.get(0)).get("line").asText()).get("auditID").asText());
            long refused = receiver.requests().stream().filter(r -> r.status() == 400).count();
            assertTrue(refused <= 9, "about one refused request per halving of 100 events: " + refused);
            JsonNode record = JSON.readTree(dead.get(0));
            assertTrue(record.get("reason").asText().startsWith("HTTP 400"), record.toString());
            assertTrue(record.get("response").asText().contains("poison"), record.toString());
            assertEquals(LineFeeder.PATH, record.get("file").asText());
            assertTrue(record.has("offset") && record.has("line"));
            List<Integer> missing = receiver.missing(0, 1000);
            assertEquals(dead.size(), missing.size(), "every event is delivered or dead-lettered");
            assertTrue(missing.contains(150));
            for (String line : dead) {
                String id = JSON.readTree(JSON.readTree(line).get("line").asText()).get("auditID").asText();
                assertFalse(receiver.has(id), id + " is either delivered or dead-lettered, not both");
            }
            assertEquals(dead.size(), h.value("events_dead_lettered_total{destination=\"siem\",reason=\"rejected\"}"));
        }
    }

    @Test
    void invalidLinesGoToTheirOwnDeadLetterFileAndCountAsAcknowledged() throws Exception {
        List<byte[]> lines = new java.util.ArrayList<>(AuditLines.events(0, 100));
        lines.add(40, "{".getBytes());
        lines.add(41, "  \"kind\": \"Event\",".getBytes());
        lines.add(42, "}".getBytes());
        lines.add(43, new byte[0]);
        lines.add(44, "E1126 12:00:00.000000 1 audit.go:42] not json".getBytes());
        lines.add(45, "{\"foo\":1}".getBytes());
        lines.add(46, "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"stage\":\"ResponseComplete\"}".getBytes());
        lines.add(47, withByte("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"x-1\",\"a\":\"?\"}"
                .getBytes(), (byte) 0xff));
        lines.add(lines.size(), "[1,2,3]".getBytes());
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(100, receiver.awaitDistinct(100, WAIT));
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            List<String> invalid = Files.readAllLines(dir.resolve("dead-letter/invalid.ndjson"));
            assertEquals(8, invalid.size(), String.join("\n", invalid));
            JsonNode first = JSON.readTree(invalid.get(0));
            assertEquals("{", first.get("line").asText());
            assertTrue(first.get("reason").asText().contains("not a JSON object"), first.toString());
            assertEquals("empty line", JSON.readTree(invalid.get(3)).get("reason").asText());
            assertEquals("not an audit event: no kind", JSON.readTree(invalid.get(5)).get("reason").asText());
            assertEquals("not an audit event: no auditID", JSON.readTree(invalid.get(6)).get("reason").asText());
            assertEquals(6, h.value("events_dead_lettered_total{destination=\"invalid\",reason=\"not_json_object\"}"));
            assertEquals(2, h.value("events_dead_lettered_total{destination=\"invalid\",reason=\"not_audit_event\"}"));
            // The event with a stray 0xff byte passes the cheap checks; the receiver refuses its batch and the
            // full parse finds it: dead-lettered for this destination, the rest of its batch delivered.
            List<String> unsendable = Files.readAllLines(dir.resolve("dead-letter/siem.ndjson"));
            assertEquals(1, unsendable.size(), String.join("\n", unsendable));
            assertTrue(JSON.readTree(unsendable.get(0)).has("lineBase64"), "bytes that are not UTF-8 are kept exactly");
            assertEquals(1, h.value("events_dead_lettered_total{destination=\"siem\",reason=\"unsendable\"}"));
        }
    }

    /** {@code line} with its first '?' replaced by {@code b}. */
    private static byte[] withByte(byte[] line, byte b) {
        byte[] copy = line.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == '?') {
                copy[i] = b;
                return copy;
            }
        }
        throw new IllegalArgumentException("no '?' in the line");
    }

    @Test
    void aFiveMebibyteEventIsTrimmedTheApiServersWayAndItsNeighboursArrive() throws Exception {
        List<byte[]> lines = new java.util.ArrayList<>(AuditLines.events(0, 20));
        lines.add(10, AuditLines.largeEvent(1_000_000, 5 << 20));
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(21, receiver.awaitDistinct(21, WAIT), () -> "missing " + receiver.missing(0, 20));
            JsonNode big = receiver.event(AuditLines.id(1_000_000));
            assertFalse(big.has("requestObject"));
            assertFalse(big.has("responseObject"));
            assertEquals("true", big.get("annotations").get("audit.k8s.io/truncated").asText());
            assertEquals("cp-1", big.get("annotations").get("kube-audit-agent/node").asText());
            assertEquals("create", big.get("verb").asText(), "everything else is kept");
            assertEquals(1, h.value("events_trimmed_total{destination=\"siem\"}"));
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
        }
    }

    @Test
    void anEventTooLargeEvenWithoutItsObjectsIsDeadLettered() throws Exception {
        List<byte[]> lines = new java.util.ArrayList<>(AuditLines.events(0, 20));
        byte[] hugeUser = ("{\"kind\":\"Event\",\"auditID\":\"huge\",\"user\":{\"username\":\"" + "u".repeat(8192) + "\"}}").getBytes();
        lines.add(5, hugeUser);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir)
                     .destination(PipelineHarness.destination("siem", receiver.url(), false, "", "", "", "", 4096)).start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(20, receiver.awaitDistinct(20, WAIT));
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            List<String> dead = Files.readAllLines(dir.resolve("dead-letter/siem.ndjson"));
            assertEquals(1, dead.size());
            assertTrue(JSON.readTree(dead.get(0)).get("reason").asText().contains("maxEventBytes 4096"), dead.get(0));
        }
    }

    @Test
    void gzipBodiesArriveWhole() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 500);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir)
                     .destination(PipelineHarness.destination("siem", receiver.url(), true, "", "", "", "", 3 << 20)).start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(500, receiver.awaitDistinct(500, WAIT));
            assertTrue(receiver.requests().stream().allMatch(r -> "gzip".equals(r.contentEncoding())));
        }
    }

    @Test
    void outOfOrderAcknowledgementsKeepTheCheckpointAtTheContiguousPrefix() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 1000);
        try (Receiver receiver = Receiver.start();
             PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            receiver.slowId = AuditLines.id(5);
            receiver.slowDelay = Duration.ofSeconds(3);
            Thread feeder = feedInBackground(h, lines);
            DestinationPipeline siem = h.pipeline.destinations().get(0);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (siem.tracker().rangesAhead() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(receiver.distinct() > 0, "later batches were acknowledged first");
            assertFalse(receiver.has(AuditLines.id(5)), "the first batch is still being answered");
            assertTrue(h.readerCheckpoint().isEmpty(), "the checkpoint does not jump over the first batch");
            Thread.sleep(300);
            // New batches start only while fewer than maxInFlight (4) are running and fewer than 4 acknowledged ones wait
            // for a checkpoint, so at most 2 * 4 - 1 batches are past the checkpoint: what a crash now would resend.
            assertTrue(h.value("unsaved_batches{destination=\"siem\"}") <= 7, "acknowledged batches waiting for the checkpoint");
            assertTrue(receiver.distinct() <= 7 * 100, "sending paused behind the slow batch: " + receiver.distinct());
            feeder.join(WAIT.toMillis());
            assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT), "then it moves to the end");
            assertEquals(1000, receiver.distinct());
        }
    }

    @Test
    void aDestinationThatIsDownThenUpGetsEverything() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 500);
        int port = freePort();
        try (PipelineHarness h = PipelineHarness.builder(dir).webhook("siem", "http://127.0.0.1:" + port + "/audit").start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (h.value("retries_total{destination=\"siem\",cause=\"connection\"}") < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(h.readerCheckpoint().isEmpty());
            try (Receiver receiver = Receiver.startOn(port)) {
                assertEquals(500, receiver.awaitDistinct(500, WAIT));
                assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            }
        }
    }

    @Test
    void aRestartWhileTheDestinationIsDownLosesNothing() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 600);
        int port = freePort();
        try (Receiver receiver = Receiver.startOn(port)) {
            try (PipelineHarness first = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
                new LineFeeder(first.pipeline.intake()).feed(lines.subList(0, 300), Optional.empty());
                assertEquals(300, receiver.awaitDistinct(300, WAIT));
                assertTrue(first.awaitReaderCheckpoint(LineFeeder.fileLength(lines.subList(0, 300)), WAIT));
                receiver.close();
                new LineFeeder(first.pipeline.intake()).feed(lines, first.readerCheckpoint());
                assertFalse(first.stop(Duration.ofMillis(500)), "in-flight batches could not finish");
                assertEquals(LineFeeder.fileLength(lines.subList(0, 300)), first.readerCheckpoint().orElseThrow().offset(),
                        "nothing unacknowledged was checkpointed");
            }
        }
        try (Receiver receiver = Receiver.startOn(port);
             PipelineHarness second = PipelineHarness.builder(dir).webhook("siem", receiver.url()).start()) {
            new LineFeeder(second.pipeline.intake()).feed(lines, second.pipeline.resumeFrom());
            assertEquals(300, receiver.awaitDistinct(300, WAIT));
            assertTrue(second.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
            assertEquals(List.of(), receiver.missing(300, 300));
        }
    }

    @Test
    void aLongOutageKeepsMemoryWithinTheBudgetAndTheReaderWaits() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 8000);
        long budget = 1 << 20;
        int port = freePort();
        try (PipelineHarness h = PipelineHarness.builder(dir).budget(budget).webhook("siem", "http://127.0.0.1:" + port + "/audit").start()) {
            Thread feeder = feedInBackground(h, lines);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (h.value("reader_blocked_seconds_total") < 0.3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(feeder.isAlive(), "the reader waits while the destination is down");
            long read = (long) h.value("events_read_total");
            assertTrue(read < 8000, "it stopped reading: " + read);
            assertTrue(h.pipeline.queue().peakBytes() <= budget, "held at most the budget: " + h.pipeline.queue().peakBytes());
            try (Receiver receiver = Receiver.startOn(port)) {
                assertEquals(8000, receiver.awaitDistinct(8000, WAIT), () -> "missing " + receiver.missing(0, 8000).size());
                feeder.join(WAIT.toMillis());
                assertFalse(feeder.isAlive());
                assertTrue(h.pipeline.queue().peakBytes() <= budget, "held at most the budget: " + h.pipeline.queue().peakBytes());
            }
        }
    }

    @Test
    void stoppingFlushesTheLastPartialBatchAndCheckpointsIt() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 30);
        try (Receiver receiver = Receiver.start()) {
            PipelineHarness h = PipelineHarness.builder(dir).batch(1000, 4 << 20, Duration.ofMinutes(10), 2)
                    .webhook("siem", receiver.url()).start();
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertTrue(h.stop(Duration.ofSeconds(10)), "drained in time");
            h.close();
            assertEquals(30, receiver.distinct(), "the batch waiting for maxWait was sent at stop");
            assertEquals(LineFeeder.fileLength(lines), h.readerCheckpoint().orElseThrow().offset());
        }
    }

    @Test
    void eachDestinationKeepsItsOwnCheckpointAndTheReaderResumesAtTheSlowest() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 400);
        int downPort = freePort();
        try (Receiver fast = Receiver.start()) {
            try (PipelineHarness h = PipelineHarness.builder(dir).webhook("fast", fast.url())
                    .webhook("slow", "http://127.0.0.1:" + downPort + "/audit").start()) {
                new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
                assertEquals(400, fast.awaitDistinct(400, WAIT));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (h.destinationCheckpoint("fast").map(c -> c.offset()).orElse(0L) < LineFeeder.fileLength(lines)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(LineFeeder.fileLength(lines), h.destinationCheckpoint("fast").orElseThrow().offset());
                assertTrue(h.destinationCheckpoint("slow").isEmpty());
                assertTrue(h.readerCheckpoint().isEmpty(), "the reader checkpoint waits for the slowest destination");
                h.stop(Duration.ofMillis(300));
            }
            try (Receiver slow = Receiver.startOn(downPort);
                 PipelineHarness h = PipelineHarness.builder(dir).webhook("fast", fast.url()).webhook("slow", slow.url()).start()) {
                assertTrue(h.pipeline.resumeFrom().isEmpty());
                new LineFeeder(h.pipeline.intake()).feed(lines, h.pipeline.resumeFrom());
                assertEquals(400, slow.awaitDistinct(400, WAIT));
                assertTrue(h.awaitReaderCheckpoint(LineFeeder.fileLength(lines), WAIT));
                assertEquals(400, fast.total(), "the fast destination skipped what it already had: no duplicates");
            }
        }
    }

    /** The reader blocks when the pipeline is full (that is the backpressure), so tests that watch it feed from a thread. */
    private static Thread feedInBackground(PipelineHarness h, List<byte[]> lines) {
        Thread feeder = new Thread(() -> {
            try {
                new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-feeder");
        feeder.start();
        return feeder;
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
