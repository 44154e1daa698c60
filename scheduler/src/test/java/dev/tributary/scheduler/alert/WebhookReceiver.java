package dev.tributary.scheduler.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real HTTP server on 127.0.0.1 that records each POST and answers with the scripted statuses (then 200). */
final class WebhookReceiver implements AutoCloseable {
    record Request(String path, String contentType, String body, int answered) {}

    private final HttpServer server;
    private final Deque<Integer> statuses = new ConcurrentLinkedDeque<>();
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Request> all = java.util.Collections.synchronizedList(new ArrayList<>());

    WebhookReceiver(Integer... scriptedStatuses) throws IOException {
        statuses.addAll(List.of(scriptedStatuses));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Integer scripted = statuses.pollFirst();
            int status = scripted == null ? 200 : scripted;
            Request r = new Request(exchange.getRequestURI().toString(), exchange.getRequestHeaders().getFirst("Content-Type"), body, status);
            all.add(r);
            requests.add(r);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** A URL with a token in its path, like a Slack webhook. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next request received, waiting up to {@code timeout}; fails the test when none comes. */
    Request next(Duration timeout) throws InterruptedException {
        Request r = requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) throw new AssertionError("no webhook request within " + timeout);
        return r;
    }

    List<Request> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
