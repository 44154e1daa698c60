package dev.tributary.source.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.Sleeper;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helpers: a source on the sandbox's clock whose waits move that clock (no test sleeps), configs, reads. */
final class SandboxSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private SandboxSupport() {}

    /** The sandbox's clock as a java.time.Clock. */
    static Clock clockOf(HubSpotSandbox sandbox) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return sandbox.clock().now();
            }
        };
    }

    static HubspotSource source(HubSpotSandbox sandbox) {
        Sleeper advance = d -> sandbox.control().advanceClock(d);
        return new HubspotSource(clockOf(sandbox), advance);
    }

    static ObjectNode settings(HubSpotSandbox sandbox) {
        ObjectNode o = JSON.createObjectNode();
        o.put("access_token", sandbox.privateAppToken());
        o.put("base_url", sandbox.baseUrl());
        return o;
    }

    static Config config(ObjectNode settings) {
        return Config.of(settings.deepCopy());
    }

    record Read(List<Record> records, List<StreamState> checkpoints, RecordBatch lastBatch) {
        Optional<StreamState> lastState() {
            return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.get(checkpoints.size() - 1));
        }

        List<String> ids() {
            return records.stream().map(r -> (String) r.value(0)).toList();
        }
    }

    static ConfiguredStream stream(HubspotSource source, Config config, String name, SyncMode mode) {
        var d = source.discover(config).stream(name).orElseThrow();
        var defaults = ConfiguredStream.defaults("hubspot", d);
        return defaults.withModes(mode, defaults.writeMode());
    }

    static Read read(HubspotSource source, Config config, ConfiguredStream stream, Optional<StreamState> from) {
        List<Record> out = new ArrayList<>();
        List<StreamState> states = new ArrayList<>();
        RecordBatch last = null;
        try (StreamReader r = source.read(config, stream, from)) {
            for (Optional<RecordBatch> b = r.next(); b.isPresent(); b = r.next()) {
                out.addAll(b.get().records());
                b.get().checkpoint().ifPresent(states::add);
                last = b.get();
            }
        }
        return new Read(out, states, last);
    }

    /** Installs the sandbox's OAuth app on the first portal and returns a refresh token. */
    static String refreshToken(HubSpotSandbox sandbox) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String redirect = HubSpotSandbox.DEFAULT_REDIRECT_URI;
        long hub = sandbox.hubIds().get(0);
        String page = http.send(HttpRequest.newBuilder(URI.create(sandbox.authorizeUrl(redirect, "oauth crm.objects.contacts.read", "s"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("href=\"([^\"]*hub_id=" + hub + "[^\"]*)\"").matcher(page);
        if (!m.find()) throw new IllegalStateException("no account link on the install page");
        String link = m.group(1).replace("&amp;", "&");
        URI chosen = link.startsWith("http") ? URI.create(link) : URI.create(sandbox.baseUrl() + link);
        // the account link opens the consent page; its grant link issues the code
        String consent = http.send(HttpRequest.newBuilder(chosen).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher grant = Pattern.compile("id=\"grant\" href=\"([^\"]*)\"").matcher(consent);
        if (!grant.find()) throw new IllegalStateException("no grant link on the consent page");
        chosen = URI.create(sandbox.baseUrl() + grant.group(1).replace("&amp;", "&"));
        String location = http.send(HttpRequest.newBuilder(chosen).build(), HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
        Matcher c = Pattern.compile("code=([^&]+)").matcher(location);
        if (!c.find()) throw new IllegalStateException("no code in redirect");
        String code = java.net.URLDecoder.decode(c.group(1), StandardCharsets.UTF_8);
        String form = "grant_type=authorization_code&client_id=" + enc(sandbox.oauthClientId()) + "&client_secret=" + enc(sandbox.oauthClientSecret())
                + "&redirect_uri=" + enc(redirect) + "&code=" + enc(code);
        var answer = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/oauth/v1/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body()).path("refresh_token").asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
