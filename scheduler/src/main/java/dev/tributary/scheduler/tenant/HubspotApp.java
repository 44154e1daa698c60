package dev.tributary.scheduler.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The app's own calls to HubSpot's OAuth endpoints: exchanging an install's code (v3, falling back to v1 where v3 is
 * not served), learning the account and user, refreshing a tenant's token, and uninstalling the app from an account.
 * Secrets go in form bodies only and never into a message.
 */
public final class HubspotApp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the token endpoint answered for a code. */
    public record Grant(String accessToken, String refreshToken, InstalledAccount account) {
        @Override
        public String toString() {
            return "Grant[" + account + "]";
        }
    }

    /** HubSpot refused: {@code refusedToken} when it said BAD_REFRESH_TOKEN / invalid_grant. */
    public static final class AppException extends RuntimeException {
        private final boolean refusedToken;

        AppException(String message, boolean refusedToken) {
            super(message);
            this.refusedToken = refusedToken;
        }

        public boolean refusedToken() {
            return refusedToken;
        }
    }

    private final AppSettings app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).version(HttpClient.Version.HTTP_1_1).build();

    public HubspotApp(AppSettings app) {
        this.app = app;
    }

    /** The authorize URL an install starts at, with this install's signed state. */
    public URI authorizeUrl(String state) {
        StringBuilder q = new StringBuilder(app.authorizeUrl().toString()).append(app.authorizeUrl().getRawQuery() == null ? "?" : "&")
                .append("client_id=").append(enc(app.clientId()))
                .append("&scope=").append(enc(String.join(" ", app.scopes())));
        if (!app.optionalScopes().isEmpty()) q.append("&optional_scope=").append(enc(String.join(" ", app.optionalScopes())));
        q.append("&redirect_uri=").append(enc(app.redirectUrl().toString())).append("&state=").append(enc(state));
        return URI.create(q.toString());
    }

    /** Exchanges an install's code: POST /oauth/v3/token, or /oauth/v1/token when v3 answers 404; then who installed. */
    public Grant exchange(String code) {
        String form = "grant_type=authorization_code&client_id=" + enc(app.clientId()) + "&client_secret=" + enc(app.clientSecret())
                + "&redirect_uri=" + enc(app.redirectUrl().toString()) + "&code=" + enc(code);
        Answer v3 = post("/oauth/v3/token", form);
        Answer answer = v3.status() == 404 ? post("/oauth/v1/token", form) : v3;
        if (answer.status() != 200 || !answer.json().path("access_token").isTextual()) throw refusal("exchanging the install code", answer);
        JsonNode t = answer.json();
        String access = t.get("access_token").asText();
        String refresh = t.path("refresh_token").asText("");
        if (refresh.isEmpty()) throw new AppException("HubSpot answered the install without a refresh token", false);
        long hubId = t.path("hub_id").asLong(0);
        long userId = t.path("user_id").asLong(0);
        List<String> scopes = strings(t.path("scopes"));
        // the account's name and the user's address: the v1 access-token endpoint (v3 answers carry ids only)
        Answer info = get("/oauth/v1/access-tokens/" + enc(access));
        String name = "hub " + hubId;
        String user = userId == 0 ? "" : "user " + userId;
        if (info.status() == 200) {
            JsonNode i = info.json();
            if (hubId == 0) hubId = i.path("hub_id").asLong(0);
            if (userId == 0) userId = i.path("user_id").asLong(0);
            if (scopes.isEmpty()) scopes = strings(i.path("scopes"));
            name = i.path("hub_domain").asText(name);
            user = i.path("user").asText(user);
        } else if (hubId == 0) {
            throw new AppException("HubSpot did not say which account installed the app (access-token info answered " + info.status() + ")", false);
        }
        return new Grant(access, refresh, new InstalledAccount(hubId, name, user, userId, scopes));
    }

    /** A fresh access token from a tenant's refresh token (v3, v1 fallback). */
    public String accessToken(String refreshToken) {
        String form = "grant_type=refresh_token&client_id=" + enc(app.clientId()) + "&client_secret=" + enc(app.clientSecret())
                + "&refresh_token=" + enc(refreshToken);
        Answer v3 = post("/oauth/v3/token", form);
        Answer answer = v3.status() == 404 ? post("/oauth/v1/token", form) : v3;
        if (answer.status() != 200 || !answer.json().path("access_token").isTextual()) throw refusal("refreshing the tenant's token", answer);
        return answer.json().get("access_token").asText();
    }

    /** DELETE /appinstalls/v3/external-install: removes the app from the account that {@code accessToken} belongs to. */
    public void uninstall(String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.apiUrl() + "/appinstalls/v3/external-install")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + accessToken).DELETE().build();
        Answer a = send(request);
        if (a.status() != 204 && a.status() != 200) throw refusal("uninstalling the app", a);
    }

    private record Answer(int status, JsonNode json) {}

    private Answer post(String path, String form) {
        return send(HttpRequest.newBuilder(URI.create(app.apiUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(app.apiUrl() + path)).timeout(Duration.ofSeconds(60)).header("Accept", "application/json").GET().build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body;
            try {
                body = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
            } catch (IOException notJson) {
                body = JSON.createObjectNode();
            }
            return new Answer(r.statusCode(), body == null ? JSON.createObjectNode() : body);
        } catch (IOException e) {
            throw new AppException("cannot reach HubSpot at " + request.uri().getHost() + ": " + e.getClass().getSimpleName(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppException("interrupted while calling HubSpot", false);
        }
    }

    private static AppException refusal(String what, Answer a) {
        String status = a.json().path("status").asText("");
        String error = a.json().path("error").asText("");
        String message = a.json().path("message").asText(a.json().path("error_description").asText(""));
        boolean refused = status.equals("BAD_REFRESH_TOKEN") || error.equals("invalid_grant") && !status.equals("BAD_AUTH_CODE");
        String code = String.join("/", new ArrayList<>(List.of(status, error)).stream().filter(s -> !s.isEmpty()).toList());
        return new AppException("HubSpot refused " + what + " (HTTP " + a.status() + (code.isEmpty() ? "" : ", " + code) + ")"
                + (message.isEmpty() ? "" : ": " + message), refused);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) array.forEach(n -> out.add(n.asText()));
        else if (array.isTextual()) out.addAll(List.of(array.asText().split("\\s+")));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
