package io.kubeaudit.ship.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * An HTTP/1.1 destination on 127.0.0.1 written on raw sockets, so it can answer the way real servers
 * and proxies fail: a status line and then a closed connection, a body shorter than its
 * Content-Length, a chunked body cut off, a reset after the request was read, no answer at all. Each
 * request is read whole (gzip bodies decoded), recorded, and answered as the script says. Keep-alive
 * connections are served until the client closes them.
 */
public final class ScriptedHttpDestination implements AutoCloseable {

    /** One request as received. {@code headers}: names in lower case. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How to answer one request. */
    public sealed interface Answer {
        /** A complete answer. */
        record Respond(int status, Map<String, String> headers, String body) implements Answer {
        }

        /** Read the request, then reset the connection (RST): the request was sent, no answer came. */
        record ResetAfterRequest() implements Answer {
        }

        /** A status line, then the connection closes: no headers, no body. */
        record CloseAfterStatusLine(int status) implements Answer {
        }

        /** Announce {@code announced} body bytes, send {@code body}, close. */
        record ShortBody(int status, int announced, String body) implements Answer {
        }

        /** A chunked body whose last chunk never comes. */
        record CutChunked(int status, String firstChunk) implements Answer {
        }

        /** Never answer; the connection stays open until the client gives up (or the destination closes). */
        record Hang() implements Answer {
        }

        static Respond respond(int status, String contentType, String body) {
            return new Respond(status, Map.of("Content-Type", contentType), body);
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Function<Request, Answer> script;
    private volatile boolean stallBodies;

    private ScriptedHttpDestination(ServerSocket server, Function<Request, Answer> script) {
        this.server = server;
        this.script = script;
        this.acceptor = new Thread(this::accept, "scripted-destination-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ScriptedHttpDestination start(Function<Request, Answer> script) throws IOException {
        return new ScriptedHttpDestination(new ServerSocket(0, 64, InetAddress.getLoopbackAddress()), script);
    }

    public static ScriptedHttpDestination startTls(SSLContext context, boolean needClientAuth, Function<Request, Answer> script)
            throws IOException {
        SSLServerSocket tls = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        tls.setNeedClientAuth(needClientAuth);
        tls.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        return new ScriptedHttpDestination(tls, script);
    }

    /** From now on reads only the headers of a request, then nothing more: a server stuck mid-request. */
    public void stallBodies() {
        stallBodies = true;
    }

    /** Answers every request from now on with {@code next}. */
    public void script(Function<Request, Answer> next) {
        script = next;
    }

    public String url(String path) {
        return (server instanceof SSLServerSocket ? "https" : "http") + "://127.0.0.1:" + server.getLocalPort() + path;
    }

    public String urlByName(String path) {
        return "https://localhost:" + server.getLocalPort() + path;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                Request r = read(in, stallBodies);
                if (r == null) {
                    return;
                }
                requests.add(r);
                if (!answer(s, in, out, script.apply(r))) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away or the destination closed: nothing more to serve.
        } finally {
            open.remove(s);
        }
    }

    /** @return whether the connection stays open for the next request */
    private boolean answer(Socket s, InputStream in, OutputStream out, Answer a) throws IOException {
        if (a instanceof Answer.Respond r) {
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\n");
            r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return true;
        }
        if (a instanceof Answer.ResetAfterRequest) {
            s.setSoLinger(true, 0);
            return false;
        }
        if (a instanceof Answer.CloseAfterStatusLine c) {
            out.write(("HTTP/1.1 " + c.status() + " " + reason(c.status()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return false;
        }
        if (a instanceof Answer.ShortBody b) {
            out.write(("HTTP/1.1 " + b.status() + " " + reason(b.status()) + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + b.announced() + "\r\n\r\n" + b.body()).getBytes(StandardCharsets.UTF_8));
            out.flush();
            return false;
        }
        if (a instanceof Answer.CutChunked c) {
            byte[] chunk = c.firstChunk().getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + c.status() + " " + reason(c.status()) + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return false;
        }
        // Hang: wait for the client to give up (its end of the connection closes) or for close().
        while (in.read() >= 0) {
            // Whatever else arrives is ignored.
        }
        return false;
    }

    /** Never released: a stalled connection's thread waits there until the JVM ends (it is a daemon). */
    private static final java.util.concurrent.Semaphore STALLED = new java.util.concurrent.Semaphore(0);

    /** One request, or null at the end of the connection (a stalled one never returns). */
    private static Request read(InputStream in, boolean stall) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (stall) {
            STALLED.acquireUninterruptibly();
            return null;
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            return null;
        }
        if ("gzip".equals(headers.get("content-encoding"))) {
            body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
        }
        return new Request(parts[0], parts.length > 1 ? parts[1] : "", headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
