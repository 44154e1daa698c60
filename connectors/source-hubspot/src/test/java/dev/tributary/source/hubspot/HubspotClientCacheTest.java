package dev.tributary.source.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.http.ApiAccounts;
import dev.tributary.http.Sleeper;
import dev.tributary.spi.Config;
import dev.tributary.spi.SecretStore;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A server syncing thousands of tenants keeps a bounded number of clients (and of accounts in /metrics), least recently used dropped first. */
class HubspotClientCacheTest {
    private static final String BASE = "http://127.0.0.1:9/client-cache-" + Long.toHexString(System.nanoTime());

    private static HubspotConfig account(int i) {
        ObjectNode o = SandboxSupport.JSON.createObjectNode().put("access_token", "pat-na1-cache-" + i).put("base_url", BASE);
        return HubspotConfig.from(Config.of(o));
    }

    @Test
    void clientsAreBoundedAndTheRecentlyUsedOneIsKept() {
        Clock clock = Clock.systemUTC();
        SecretStore secrets = SecretStore.inMemory();
        HubspotClient first = HubspotClient.of(account(0), clock, Sleeper.SYSTEM, secrets);
        int accounts = HubspotClient.MAX_CLIENTS * 2;
        for (int i = 1; i < accounts; i++) {
            HubspotClient.of(account(i), clock, Sleeper.SYSTEM, secrets);
            if (i % 10 == 0) assertThat(HubspotClient.of(account(0), clock, Sleeper.SYSTEM, secrets)).isSameAs(first); // in use: kept
        }
        assertThat(HubspotClient.cachedClients()).isLessThanOrEqualTo(HubspotClient.MAX_CLIENTS);
        String host = java.net.URI.create(BASE).getAuthority();
        long registered = ApiAccounts.all().stream().filter(a -> a.api().equals("hubspot") && a.account().startsWith(host + "/")).count();
        assertThat(registered).as("accounts published for /metrics").isLessThanOrEqualTo(HubspotClient.MAX_CLIENTS);
        assertThat(HubspotClient.of(account(0), clock, Sleeper.SYSTEM, secrets)).isSameAs(first);
        assertThat(HubspotClient.of(account(1), clock, Sleeper.SYSTEM, secrets)).as("long unused: made again").isNotNull();
    }
}
