package dev.tributary.drivers;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A Maven repository over HTTP on a random loopback port: serves given files, records requests, can hold jar answers back. */
final class FakeRepository implements AutoCloseable {
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** Paths asked for, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Counted down when a jar is asked for. */
    final CountDownLatch jarAsked = new CountDownLatch(1);
    /** Jar answers wait for this while {@link #holdJars} is set. */
    final CountDownLatch releaseJars = new CountDownLatch(1);
    volatile boolean holdJars;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    FakeRepository() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            if (path.endsWith(".jar")) {
                jarAsked.countDown();
                try {
                    if (holdJars && !releaseJars.await(2, TimeUnit.MINUTES)) throw new IllegalStateException("the test never released the jar");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = files.get(path);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) out.write(body);
            }
        });
        server.start();
    }

    /** The URL of the repository's root, {@code http://127.0.0.1:<port>/maven2}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2";
    }

    /** Serves the jar, and its .sha1 (the jar's own unless sha1 is given). */
    void put(MavenJar jar, byte[] content, String sha1) {
        files.put("/maven2/" + jar.path(), content);
        files.put("/maven2/" + jar.path() + ".sha1", ((sha1 != null ? sha1 : hex("SHA-1", content)) + "  " + jar.artifact() + ".jar\n").getBytes(StandardCharsets.US_ASCII));
    }

    long jarRequests() {
        return requests.stream().filter(p -> p.endsWith(".jar")).count();
    }

    static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        releaseJars.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
