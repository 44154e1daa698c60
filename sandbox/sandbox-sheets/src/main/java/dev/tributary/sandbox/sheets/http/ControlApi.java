package dev.tributary.sandbox.sheets.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.sheets.SheetsControl;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code /_sandbox/...} with header {@code X-Sandbox-Control-Key}: the {@link SheetsControl} operations over HTTP,
 * for demos and for tests in other processes. Answers JSON; a bad request is a 400 that says what was wrong.
 */
public final class ControlApi {
    public static final String KEY_HEADER = "X-Sandbox-Control-Key";

    private final SheetsControl control;
    private final String key;

    public ControlApi(SheetsControl control, String key) {
        this.control = control;
        this.key = key;
    }

    SheetsRouter.Answer handle(String method, String path, byte[] body, String givenKey) {
        if (givenKey == null || !MessageDigest.isEqual(givenKey.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
            return reply(401, Map.of("error", "missing or wrong " + KEY_HEADER + " (printed when the sandbox started)"));
        }
        try {
            JsonNode b = body.length == 0 ? SheetsRouter.JSON.createObjectNode() : SheetsRouter.JSON.readTree(body);
            switch (method + " " + path) {
                case "GET info" -> { return reply(200, control.info()); }
                case "GET service-account-key" -> { return SheetsRouter.Answer.json(200, control.serviceAccountKeyJson()); }
                case "POST cells" -> control.setValues(text(b, "spreadsheetId"), text(b, "range"), rows(b));
                case "POST rows" -> { return reply(200, Map.of("firstRow", control.appendRows(text(b, "spreadsheetId"), b.path("sheet").asText(null), rows(b)))); }
                case "POST tabs/rename" -> control.renameTab(text(b, "spreadsheetId"), text(b, "sheet"), text(b, "title"));
                case "POST tabs/delete" -> control.deleteTab(text(b, "spreadsheetId"), text(b, "sheet"));
                case "POST spreadsheets/delete" -> control.deleteSpreadsheet(text(b, "spreadsheetId"));
                case "POST revoke", "POST restore" -> {
                    boolean revoke = path.equals("revoke");
                    switch (text(b, "credential")) {
                        case "service-account-key" -> control.revokeServiceAccountKey(revoke);
                        case "refresh-token" -> control.revokeRefreshToken(revoke);
                        case "api-key" -> control.revokeApiKey(revoke);
                        default -> throw new IllegalArgumentException("credential must be service-account-key, refresh-token or api-key");
                    }
                }
                case "POST tokens/expire" -> control.expireAccessTokens();
                case "POST faults" -> {
                    if (b.path("clear").asBoolean(false)) control.clearFaults();
                    if (b.has("errorRate")) control.setErrorRate(b.get("errorRate").asDouble());
                    if (b.has("latencyMillis")) control.setLatency(Duration.ofMillis(b.get("latencyMillis").asLong()));
                    if (b.has("dropConnections")) control.dropConnections(b.get("dropConnections").asInt());
                    if (b.has("storm429")) control.storm429(b.get("storm429").asInt());
                    if (b.has("serverErrors")) control.serverErrors(b.get("serverErrors").asInt());
                    if (b.has("outage")) control.outage(b.get("outage").asBoolean());
                }
                case "POST quotas" -> {
                    if (b.has("enabled")) control.setQuotasEnabled(b.get("enabled").asBoolean());
                    if (b.has("perProjectPerMinute") || b.has("perUserPerMinute")) {
                        control.setQuotas(b.path("perProjectPerMinute").asInt(300), b.path("perUserPerMinute").asInt(60));
                    }
                    if (b.path("reset").asBoolean(false)) control.resetQuotas();
                }
                case "POST clock" -> control.advanceClock(Duration.ofSeconds(b.path("advanceSeconds").asLong(0)));
                case "GET counters" -> { return reply(200, Map.of("requests", control.counters().byRoute(), "bytesOut", control.counters().bytesOut())); }
                case "POST counters/reset" -> control.counters().reset();
                default -> { return reply(404, Map.of("error", "no control operation " + method + " /_sandbox/" + path)); }
            }
            return reply(200, Map.of("ok", true));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return reply(400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private static String text(JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) throw new IllegalArgumentException("missing \"" + field + "\"");
        return v.asText();
    }

    private static List<List<Object>> rows(JsonNode b) {
        JsonNode v = b.get("values");
        if (v == null || !v.isArray()) throw new IllegalArgumentException("missing \"values\": an array of rows, e.g. [[\"Acme\",\"Ann\"]]");
        return SheetsRouter.JSON.convertValue(v, new TypeReference<List<List<Object>>>() { });
    }

    private static SheetsRouter.Answer reply(int status, Object body) {
        try {
            return SheetsRouter.Answer.json(status, SheetsRouter.JSON.writeValueAsString(body));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
