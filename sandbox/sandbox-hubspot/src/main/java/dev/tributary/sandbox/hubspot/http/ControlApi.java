package dev.tributary.sandbox.hubspot.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.hubspot.SandboxControl;
import dev.tributary.sandbox.hubspot.data.ObjectType;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /_sandbox/...: the control API, outside HubSpot's paths, answering only callers that send the control key in
 * X-Sandbox-Control-Key. Every operation maps to a {@link SandboxControl} method.
 */
public final class ControlApi {
    public static final String KEY_HEADER = "X-Sandbox-Control-Key";

    private final SandboxContext ctx;
    private final SandboxControl control;
    private final String key;

    public ControlApi(SandboxContext ctx, SandboxControl control, String key) {
        this.ctx = ctx;
        this.control = control;
        this.key = key;
    }

    SandboxResponse handle(SandboxRequest r, String givenKey) {
        if (!key.equals(givenKey)) {
            throw new ApiException(401, "INVALID_AUTHENTICATION", "The control API needs the " + KEY_HEADER + " header.");
        }
        String op = String.join("/", r.segments().subList(1, r.segments().size()));
        JsonNode b = r.body().length == 0 ? SandboxRequest.JSON.createObjectNode() : r.json();
        long hub = b.has("hubId") ? b.get("hubId").asLong() : ctx.hubIds().get(0);
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            switch (r.method() + " " + op) {
                case "GET info" -> out.putAll(control.info());
                case "POST mutate" -> out.put("ids", control.mutate(hub, type(hub, b), b.path("count").asInt(1)));
                case "POST archive" -> {
                    if (b.has("id")) out.put("archived", control.archive(hub, type(hub, b), b.get("id").asText()));
                    else out.put("ids", control.archive(hub, type(hub, b), b.path("count").asInt(1)));
                }
                case "POST hard-delete" -> out.put("deleted", control.hardDelete(hub, type(hub, b), b.path("id").asText()));
                case "POST merge" -> {
                    control.merge(hub, type(hub, b), b.path("primaryId").asText(), b.path("mergedId").asText());
                    out.put("merged", true);
                }
                case "POST clock" -> {
                    if (b.has("set")) control.setClock(Instant.parse(b.get("set").asText()));
                    if (b.has("freeze")) {
                        if (b.get("freeze").asBoolean()) control.freezeClock();
                        else control.unfreezeClock();
                    }
                    if (b.has("advanceSeconds")) control.advanceClock(Duration.ofMillis((long) (b.get("advanceSeconds").asDouble() * 1000)));
                    out.put("now", control.now().toString());
                }
                case "POST tokens/expire" -> out.put("expired", control.expireAccessTokens());
                case "POST tokens/revoke-refresh" -> out.put("revoked", control.revokeRefreshTokens());
                case "POST tokens/rotate-refresh" -> {
                    control.rotateRefreshTokens(b.path("enabled").asBoolean(true));
                    out.put("rotating", b.path("enabled").asBoolean(true));
                }
                case "POST faults" -> {
                    if (b.path("clear").asBoolean(false)) control.clearFaults();
                    if (b.has("errorRate")) control.setErrorRate(b.get("errorRate").asDouble());
                    if (b.has("latencyMillis")) control.setLatency(Duration.ofMillis(b.get("latencyMillis").asLong()));
                    if (b.has("storm429")) control.storm429(b.get("storm429").asInt());
                    if (b.has("dropConnections")) control.dropConnections(b.get("dropConnections").asInt());
                    out.put("errorRate", ctx.faults().errorRate());
                    out.put("latencyMillis", ctx.faults().latencyMillis());
                }
                case "POST rate-limits" -> {
                    if (b.has("enabled")) control.setRateLimitsEnabled(b.get("enabled").asBoolean());
                    if (b.path("reset").asBoolean(false)) control.resetRateLimits();
                    out.put("enabled", ctx.rateLimiter().enabled());
                }
                case "POST search-lag" -> {
                    control.setSearchLag(Duration.ofMillis((long) (b.path("seconds").asDouble() * 1000)));
                    out.put("searchLagMillis", ctx.searchLagMillis());
                }
                case "GET counters" -> {
                    out.put("requests", ctx.counters().requests());
                    out.put("rateLimited", ctx.counters().rateLimited());
                    out.put("bytesOut", ctx.counters().bytesOut());
                    out.put("byRouteAndStatus", ctx.counters().byRouteAndStatus());
                }
                case "POST counters/reset" -> {
                    ctx.counters().reset();
                    out.put("reset", true);
                }
                default -> throw new ApiException(404, "OBJECT_NOT_FOUND", "Unknown control operation: " + r.method() + " /_sandbox/" + op
                        + ". Known: GET info, POST mutate, archive, hard-delete, merge, clock, tokens/expire, tokens/revoke-refresh, tokens/rotate-refresh, faults, "
                        + "rate-limits, search-lag, GET counters, POST counters/reset");
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw ApiException.validation(e.getMessage());
        }
        return SandboxResponse.json(200, JsonWriter.write(g -> JsonWriter.writeValue(g, out)));
    }

    private ObjectType type(long hub, JsonNode b) {
        String name = b.path("objectType").asText("contacts");
        return ObjectType.resolve(name, hub).orElseThrow(() -> ApiException.validation("unknown objectType " + name));
    }

    List<String> operations() {
        return List.of("info", "mutate", "archive", "hard-delete", "merge", "clock", "tokens/expire", "faults", "rate-limits", "search-lag", "counters");
    }
}
