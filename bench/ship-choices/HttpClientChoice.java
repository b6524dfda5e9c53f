import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * How the webhook sink's HTTP client was chosen: POST the same batches (1000 audit events, ~1 MiB,
 * as separate byte arrays like the pipeline holds them) with 4 requests in flight, and print CPU
 * seconds and peak RSS of this JVM.
 *
 *   java SinkReceiver.java 18999 &
 *   java -Xmx128m HttpClientChoice.java urlconnection|httpclient-bytes|httpclient-arrays 18999 MB
 */
public class HttpClientChoice {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = "http://127.0.0.1:" + args[1] + "/audit";
        long totalBytes = Long.parseLong(args[2]) * 1_000_000L;
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + i
                    + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/configmaps\",\"verb\":\"list\","
                    + "\"user\":{\"username\":\"system:serviceaccount:kube-system:generic-garbage-collector\",\"groups\":[\"system:authenticated\"]},"
                    + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"" + "r".repeat(700) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        long batchBytes = events.stream().mapToLong(e -> e.length + 1).sum() + 80;
        int batches = (int) (totalBytes / batchBytes);
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        long wall = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            senders.execute(() -> {
                try {
                    switch (mode) {
                        case "urlconnection" -> urlConnection(url, events);
                        case "httpclient-bytes" -> httpClient(client, url, HttpRequest.BodyPublishers.ofByteArray(concat(events)));
                        case "httpclient-arrays" -> httpClient(client, url, HttpRequest.BodyPublishers.ofByteArrays(withCommas(events)));
                        default -> throw new IllegalArgumentException(mode);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - wall) / 1e9;
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("?");
        System.out.printf("%s: %d batches, %.0f MB in %.1f s, %.1f CPU s, %s%n", mode, batches, batches * batchBytes / 1e6, seconds, cpu,
                hwm.replaceAll("\\s+", " "));
        System.exit(0);
    }

    static void urlConnection(String url, List<byte[]> events) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        byte[] head = "{\"kind\":\"EventList\",\"items\":[".getBytes();
        long length = head.length + 2 + events.stream().mapToLong(e -> e.length).sum() + events.size() - 1;
        c.setFixedLengthStreamingMode(length);
        try (OutputStream out = c.getOutputStream()) {
            out.write(head);
            for (int i = 0; i < events.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(events.get(i));
            }
            out.write("]}".getBytes());
        }
        c.getResponseCode();
        c.getInputStream().readAllBytes();
        c.getInputStream().close();
    }

    static void httpClient(HttpClient client, String url, HttpRequest.BodyPublisher body) throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").POST(body).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static byte[] concat(List<byte[]> events) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes("{\"kind\":\"EventList\",\"items\":[".getBytes());
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i));
        }
        out.writeBytes("]}".getBytes());
        return out.toByteArray();
    }

    static List<byte[]> withCommas(List<byte[]> events) {
        List<byte[]> parts = new ArrayList<>();
        parts.add("{\"kind\":\"EventList\",\"items\":[".getBytes());
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                parts.add(new byte[] {','});
            }
            parts.add(events.get(i));
        }
        parts.add("]}".getBytes());
        return parts;
    }
}
