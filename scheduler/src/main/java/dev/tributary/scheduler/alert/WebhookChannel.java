package dev.tributary.scheduler.alert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * POSTs alerts to a URL: a JSON body with every field ({@code json}) or a Slack incoming-webhook message
 * ({@code slack}). A non-2xx answer is an error, so the dispatcher retries it.
 */
public final class WebhookChannel implements AlertChannel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertsConfig.Webhook settings;
    private final String name;
    private final HttpClient client;
    private final Duration requestTimeout;

    /** @param index position in {@code alerts.webhooks}, counted from 1, to tell webhooks apart without their URL */
    public WebhookChannel(AlertsConfig.Webhook settings, int index, Duration timeout) {
        this.settings = requireNonNull(settings, "settings is null");
        this.requestTimeout = requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        this.name = "webhook " + index + " (" + settings.format().name().toLowerCase(Locale.ROOT) + ", " + settings.redactedUrl() + ")";
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(Alert alert) throws IOException, InterruptedException {
        String body = settings.format() == WebhookFormat.SLACK ? slackBody(alert) : jsonBody(alert);
        HttpRequest request = HttpRequest.newBuilder(settings.url())
                .timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "tributary-alerts")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) throw new IOException("HTTP " + response.statusCode());
    }

    /** {"event":"failure","pipeline":..,"run_id":..,"status":..,"step":..,"error":..,"started_at":ISO,...,"url":..}. */
    static String jsonBody(Alert alert) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", alert.kind().key());
        o.put("pipeline", alert.pipeline().orElse(null));
        alert.table().ifPresent(t -> o.put("table", t));
        if (alert.runId().isPresent()) o.put("run_id", alert.runId().get()); else o.putNull("run_id");
        o.put("status", alert.status().map(Enum::name).orElse(null));
        o.put("step", alert.step().orElse(null));
        o.put("error", alert.error().orElse(null));
        o.put("started_at", alert.startedAt().map(Object::toString).orElse(null));
        o.put("ended_at", alert.endedAt().map(Object::toString).orElse(null));
        if (alert.duration().isPresent()) o.put("duration_seconds", alert.duration().get().toMillis() / 1000.0); else o.putNull("duration_seconds");
        o.put("url", alert.url().orElse(null));
        o.put("message", alert.headline());
        o.put("note", alert.note().orElse(null));
        o.put("at", alert.at().toString());
        return write(o);
    }

    /** {"text": "..."} in Slack mrkdwn: bold headline, details, the error's first line as code, a link to the run. */
    static String slackBody(Alert alert) {
        StringBuilder text = new StringBuilder();
        String headline = alert.headline().replaceFirst("^\\[tributary] ", "");
        text.append("*").append(escape(headline)).append("*");
        for (String line : alert.detailLines()) {
            if (line.startsWith("Link: ") || line.startsWith("Event: ")) continue;
            text.append("\n").append(escape(line));
        }
        alert.errorFirstLine().ifPresent(e -> text.append("\n`").append(escape(e.replace('`', '\''))).append("`"));
        alert.url().ifPresent(u -> text.append("\n<").append(u).append("|")
                .append(alert.runId().map(id -> "Open run " + id).orElse("Open")).append(">"));
        ObjectNode o = JSON.createObjectNode();
        o.put("text", text.toString());
        return write(o);
    }

    // Slack treats &, < and > as control characters in message text.
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert JSON", e);
        }
    }

    @Override
    public String redact(String message) {
        String url = settings.url().toString();
        String out = message.replace(url, settings.redactedUrl());
        String path = settings.url().getRawPath();
        if (path != null && path.length() > 1) out = out.replace(path, "/…");
        String query = settings.url().getRawQuery();
        if (query != null && !query.isEmpty()) out = out.replace(query, "…");
        return out;
    }

    @Override
    public void close() {
        client.close();
    }
}
