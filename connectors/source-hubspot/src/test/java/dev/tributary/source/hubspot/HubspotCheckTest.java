package dev.tributary.source.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.sandbox.hubspot.HubSpotSandbox;
import dev.tributary.sandbox.hubspot.SandboxOptions;
import dev.tributary.spi.CheckResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code check}: connects, names the portal when HubSpot says which, and does not make a missing hub id sound like a problem. */
class HubspotCheckTest {
    @Test
    void aPrivateAppTokenIsCheckedAndItsPortalNamed() {
        try (HubSpotSandbox sandbox = HubSpotSandbox.start(SandboxOptions.builder().contacts(20).build())) {
            CheckResult check = SandboxSupport.source(sandbox).check(SandboxSupport.config(SandboxSupport.settings(sandbox)));
            assertThat(check.ok()).as(check.message()).isTrue();
            assertThat(check.message()).contains("with a private app token; portal (hub id) " + sandbox.hubIds().get(0));
        }
    }

    @Test
    void aTokenThatMayNotReadTheAccountDetailsStillChecksOkAndSaysItDoesNotMatter() throws IOException {
        // HubSpot answers 403 MISSING_SCOPES on /account-info for a private app without that scope: harmless for syncing.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            boolean owners = exchange.getRequestURI().getPath().startsWith("/crm/v3/owners");
            byte[] body = (owners ? "{\"results\":[]}"
                    : "{\"status\":\"error\",\"message\":\"This app hasn't been granted all required scopes.\",\"category\":\"MISSING_SCOPES\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(owners ? 200 : 403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            ObjectNode settings = SandboxSupport.JSON.createObjectNode();
            settings.put("base_url", "http://127.0.0.1:" + server.getAddress().getPort());
            settings.put("access_token", "pat-na1-00000000-0000-0000-0000-000000000000");
            CheckResult check = new HubspotSource().check(SandboxSupport.config(settings));
            assertThat(check.ok()).as(check.message()).isTrue();
            assertThat(check.message()).contains("syncing does not need it").doesNotContain("not reported");
        } finally {
            server.stop(0);
        }
    }
}
