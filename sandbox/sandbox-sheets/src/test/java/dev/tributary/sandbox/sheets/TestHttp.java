package dev.tributary.sandbox.sheets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;

/** Plain HTTP to a sandbox, and a service-account JWT signer, for the tests. */
final class TestHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static Reply get(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return send(b.build());
    }

    static Reply postForm(String url, String form) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static Reply control(SheetsSandbox s, String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/_sandbox/" + path)).header("X-Sandbox-Control-Key", s.controlKey());
        b = method.equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(json == null ? "{}" : json));
        return send(b.build());
    }

    static Reply send(HttpRequest r) {
        try {
            HttpResponse<String> resp = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
            return new Reply(resp.statusCode(), resp.body(), resp.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Signs a service-account assertion with the key file's private key. */
    static String jwt(String keyFileJson, String scope, String aud, long iat, long exp) throws Exception {
        JsonNode key = JSON.readTree(keyFileJson);
        String pem = key.get("private_key").asText().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey pk = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        return jwt(pk, key.get("client_email").asText(), scope, aud == null ? key.get("token_uri").asText() : aud, iat, exp);
    }

    static String jwt(PrivateKey pk, String iss, String scope, String aud, long iat, long exp) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(JSON.writeValueAsBytes(java.util.Map.of("iss", iss, "scope", scope, "aud", aud, "iat", iat, "exp", exp)));
        Signature sig = Signature.getInstance("SHA256withRSA");
        sig.initSign(pk);
        sig.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64.encodeToString(sig.sign());
    }

    static final String SCOPES = "https://www.googleapis.com/auth/spreadsheets.readonly https://www.googleapis.com/auth/drive.metadata.readonly";

    /** An access token for the service account. */
    static String token(SheetsSandbox s) throws Exception {
        long now = Instant.now().getEpochSecond();
        Reply r = postForm(s.tokenUri(), "grant_type=" + enc("urn:ietf:params:oauth:grant-type:jwt-bearer") + "&assertion="
                + jwt(s.serviceAccountKeyJson(), SCOPES, null, now, now + 3600));
        if (r.status() != 200) throw new AssertionError("token exchange failed: " + r.body());
        return r.json().get("access_token").asText();
    }
}
