package dev.tributary.sandbox.wrike.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.wrike.WrikeControl;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control API over HTTP, under /_sandbox/ with header X-Sandbox-Control-Key: GET info, GET counters,
 * POST counters/reset, POST tasks/update {"count"|"ids"}, POST tasks/create {"count"}, POST tasks/delete {"ids"},
 * POST tasks/restore {"id"}, POST tasks/purge {"ids"}, POST users/delete {"id"}, POST timelogs/add {"count"},
 * POST timelogs/delete {"ids"}, POST comments/add {"count"}, POST clock {"advanceSeconds"|"set"|"freeze"}, POST tokens/expire, POST tokens/revoke,
 * POST faults {"errorRate","latencyMillis","storm429","dropConnections","loseTokenAnswers","clear"},
 * POST rate-limits {"enabled","reset"}, POST account/move {"region":"eu"|"us"}.
 */
public final class ControlApi {
    public static final String KEY_HEADER = "X-Sandbox-Control-Key";

    private final WrikeContext ctx;
    private final WrikeControl control;
    private final String key;

    public ControlApi(WrikeContext ctx, WrikeControl control, String key) {
        this.ctx = ctx;
        this.control = control;
        this.key = key;
    }

    WrikeResponse handle(WrikeRequest r) {
        if (!key.equals(r.header(KEY_HEADER))) {
            return WrikeResponse.json(401, Map.of("error", "the control API needs header " + KEY_HEADER + " with the key the sandbox printed at start"));
        }
        String path = String.join("/", r.segments().subList(1, r.segments().size()));
        try {
            JsonNode body = r.body().length == 0 ? WrikeResponse.JSON.createObjectNode() : WrikeResponse.JSON.readTree(r.body());
            Object answer = switch (r.method() + " " + path) {
                case "GET info" -> info();
                case "GET counters" -> control.counters();
                case "POST counters/reset" -> { control.resetCounters(); yield Map.of("reset", true); }
                case "POST tasks/update" -> {
                    if (body.has("ids")) { control.updateTasks(ids(body)); yield Map.of("ids", ids(body)); }
                    yield Map.of("ids", control.updateTasks(body.path("count").asInt(1)));
                }
                case "POST tasks/create" -> Map.of("ids", control.createTasks(body.path("count").asInt(1)));
                case "POST tasks/delete" -> { control.deleteTasks(ids(body)); yield Map.of("deleted", ids(body)); }
                case "POST tasks/restore" -> { control.restoreTask(text(body, "id")); yield Map.of("restored", text(body, "id")); }
                case "POST tasks/purge" -> { control.purgeTasks(ids(body)); yield Map.of("purged", ids(body)); }
                case "POST users/delete" -> { control.deleteUser(text(body, "id")); yield Map.of("deleted", text(body, "id")); }
                case "POST timelogs/add" -> Map.of("ids", control.addTimelogs(body.path("count").asInt(1)));
                case "POST timelogs/delete" -> { control.deleteTimelogs(ids(body)); yield Map.of("deleted", ids(body)); }
                case "POST comments/add" -> Map.of("ids", control.addComments(body.path("count").asInt(1)));
                case "POST clock" -> clock(body);
                case "POST tokens/expire" -> Map.of("expired", control.expireAccessTokens());
                case "POST tokens/revoke" -> Map.of("revokedGrants", control.revokeAllGrants());
                case "POST faults" -> faults(body);
                case "POST rate-limits" -> {
                    if (body.has("enabled")) control.setRateLimitsEnabled(body.get("enabled").asBoolean());
                    if (body.path("reset").asBoolean(false)) control.resetRateLimits();
                    yield Map.of("enabled", ctx.limits().enabled(), "perSecond", ctx.limits().perSecond());
                }
                case "POST account/move" -> {
                    String region = text(body, "region");
                    if (!region.equals("eu") && !region.equals("us")) throw new IllegalArgumentException("'region' must be eu or us");
                    control.moveAccount(region.equals("eu"));
                    yield Map.of("host", ctx.accountHost());
                }
                default -> null;
            };
            if (answer == null) return WrikeResponse.json(404, Map.of("error", "no control endpoint " + r.method() + " /_sandbox/" + path));
            return WrikeResponse.json(200, answer);
        } catch (IOException e) {
            return WrikeResponse.json(400, Map.of("error", "the body is not JSON: " + e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return WrikeResponse.json(400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private Map<String, Object> info() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accountId", ctx.workspace().accountId);
        out.put("host", ctx.accountHost());
        out.put("usHost", ctx.usHost());
        out.put("euHost", ctx.euHost());
        out.put("now", ctx.clock().now().toString());
        synchronized (ctx.workspace()) {
            out.put("tasks", ctx.workspace().tasks.size());
        }
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
        return Map.of("errorRate", ctx.faults().errorRate(), "latencyMillis", ctx.faults().latencyMillis());
    }

    private static List<String> ids(JsonNode body) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : body.path("ids")) out.add(n.asText());
        if (out.isEmpty()) throw new IllegalArgumentException("'ids' (a JSON array of ids) is required");
        return out;
    }

    private static String text(JsonNode body, String field) {
        String v = body.path(field).asText("");
        if (v.isEmpty()) throw new IllegalArgumentException("'" + field + "' is required");
        return v;
    }
}
