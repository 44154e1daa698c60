package dev.tributary.sandbox.xero.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.xero.XeroControl;
import dev.tributary.sandbox.xero.data.Endpoint;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control API over HTTP, under /_sandbox/ with header X-Sandbox-Control-Key: GET info, GET counters,
 * POST counters/reset, POST invoices/add {"tenantId","count","draft"}, POST documents/edit {"tenantId","collection","id"},
 * POST invoices/void|pay|delete-draft {"tenantId","id"}, POST documents/purge {"tenantId","collection","id"},
 * POST mutate {"tenantId","collection","count"}, POST clock {"advanceSeconds"|"set"|"freeze"}, POST tokens/expire,
 * POST tokens/revoke, POST faults {"errorRate","latencyMillis","storm429","dropConnections","loseTokenAnswers","maxPageSize","clear"},
 * POST rate-limits {"enabled","reset"}.
 */
public final class ControlApi {
    public static final String KEY_HEADER = "X-Sandbox-Control-Key";

    private final XeroContext ctx;
    private final XeroControl control;
    private final String key;

    public ControlApi(XeroContext ctx, XeroControl control, String key) {
        this.ctx = ctx;
        this.control = control;
        this.key = key;
    }

    XeroResponse handle(XeroRequest r) {
        if (!key.equals(r.header(KEY_HEADER))) {
            return XeroResponse.json(401, Map.of("error", "the control API needs header " + KEY_HEADER + " with the key the sandbox printed at start"));
        }
        String path = String.join("/", r.segments().subList(1, r.segments().size()));
        try {
            JsonNode body = r.body().length == 0 ? XeroResponse.JSON.createObjectNode() : XeroResponse.JSON.readTree(r.body());
            Object answer = switch (r.method() + " " + path) {
                case "GET info" -> info();
                case "GET counters" -> control.counters();
                case "POST counters/reset" -> { control.resetCounters(); yield Map.of("reset", true); }
                case "POST invoices/add" -> Map.of("ids", control.addInvoices(tenant(body), body.path("count").asInt(1), body.path("draft").asBoolean(false)));
                case "POST invoices/void" -> { control.voidInvoice(tenant(body), text(body, "id")); yield Map.of("voided", text(body, "id")); }
                case "POST invoices/pay" -> Map.of("paymentId", control.pay(tenant(body), text(body, "id")));
                case "POST invoices/delete-draft" -> { control.deleteDraft(tenant(body), text(body, "id")); yield Map.of("deleted", text(body, "id")); }
                case "POST documents/edit" -> { control.edit(tenant(body), Endpoint.ofControlName(text(body, "collection")), text(body, "id")); yield Map.of("edited", text(body, "id")); }
                case "POST documents/purge" -> { control.purge(tenant(body), Endpoint.ofControlName(text(body, "collection")), text(body, "id")); yield Map.of("purged", text(body, "id")); }
                case "POST mutate" -> Map.of("ids", control.mutate(tenant(body), Endpoint.ofControlName(text(body, "collection")), body.path("count").asInt(1)));
                case "POST clock" -> clock(body);
                case "POST tokens/expire" -> Map.of("expired", control.expireAccessTokens());
                case "POST tokens/revoke" -> Map.of("revokedGrants", control.revokeAllGrants());
                case "POST faults" -> faults(body);
                case "POST rate-limits" -> {
                    if (body.has("enabled")) control.setRateLimitsEnabled(body.get("enabled").asBoolean());
                    if (body.path("reset").asBoolean(false)) control.resetRateLimits();
                    yield Map.of("enabled", ctx.limits().enabled());
                }
                default -> null;
            };
            if (answer == null) return XeroResponse.json(404, Map.of("error", "no control endpoint " + r.method() + " /_sandbox/" + path));
            return XeroResponse.json(200, answer);
        } catch (IOException e) {
            return XeroResponse.json(400, Map.of("error", "the body is not JSON: " + e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return XeroResponse.json(400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private Map<String, Object> info() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseUrl", ctx.baseUrl());
        out.put("now", ctx.clock().now().toString());
        out.put("tenants", ctx.tenantIds().stream().map(t -> Map.of("tenantId", t, "name", ctx.books(t).name())).toList());
        out.put("rateLimits", ctx.limits().enabled());
        out.put("liveRefreshTokens", ctx.tokens().liveRefreshTokens());
        return out;
    }

    private Map<String, Object> clock(JsonNode body) {
        if (body.has("advanceSeconds")) control.advanceClock(Duration.ofSeconds(body.get("advanceSeconds").asLong()));
        if (body.has("set")) control.setClock(Instant.parse(body.get("set").asText()));
        if (body.has("freeze")) {
            if (body.get("freeze").asBoolean()) control.freezeClock();
            else control.unfreezeClock();
        }
        return Map.of("now", ctx.clock().now().toString());
    }

    private Map<String, Object> faults(JsonNode body) {
        if (body.path("clear").asBoolean(false)) control.clearFaults();
        if (body.has("errorRate")) control.setErrorRate(body.get("errorRate").asDouble());
        if (body.has("latencyMillis")) control.setLatency(body.get("latencyMillis").asLong());
        if (body.has("storm429")) control.storm429(body.get("storm429").asInt());
        if (body.has("dropConnections")) control.dropConnections(body.get("dropConnections").asInt());
        if (body.has("loseTokenAnswers")) control.loseTokenAnswers(body.get("loseTokenAnswers").asInt());
        if (body.has("maxPageSize")) control.setMaxPageSize(body.get("maxPageSize").asInt());
        if (body.has("tokenLatencyMillis")) control.setTokenLatency(body.get("tokenLatencyMillis").asLong());
        return Map.of("errorRate", ctx.faults().errorRate(), "latencyMillis", ctx.faults().latencyMillis());
    }

    private String tenant(JsonNode body) {
        String t = body.path("tenantId").asText("");
        if (t.isEmpty()) t = ctx.tenantIds().get(0);
        ctx.books(t);
        return t;
    }

    private static String text(JsonNode body, String field) {
        String v = body.path(field).asText("");
        if (v.isEmpty()) throw new IllegalArgumentException("'" + field + "' is required");
        return v;
    }

    static List<String> unused() { return List.of(); }
}
