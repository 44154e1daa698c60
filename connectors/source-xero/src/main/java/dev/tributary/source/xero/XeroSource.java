package dev.tributary.source.xero;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.http.Sleeper;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Xero Accounting ({@code type: xero}): every collection as a stream per connected organisation (rows carry
 * {@code tenant_id}), child tables for line items, tracking, allocations and journal lines, incremental by
 * If-Modified-Since with an overlap (Journals by offset), rotating refresh tokens kept in the project's secret store,
 * and a per-tenant budget shared by all streams. See the module README.
 */
public final class XeroSource implements Source {
    private static final ConnectorSpec SPEC = new ConnectorSpec("xero",
            "Xero Accounting: invoices, credit notes, payments, bank transactions, journals, contacts and reference data, per organisation",
            List.of(
                    new Setting("client_id", true, true, "the Xero app's client id"),
                    new Setting("client_secret", true, true, "the Xero app's client secret"),
                    new Setting("refresh_token", false, true, "OAuth 2.0: the refresh token from the consent (rotated tokens are kept in the project's secret store)"),
                    new Setting("grant_type", false, false, "refresh_token (default with refresh_token) or client_credentials (a custom connection)"),
                    new Setting("tenants", false, false, "tenant ids to sync (default: every organisation the connection reaches)"),
                    new Setting("base_url", false, false, "API host (default " + XeroConfig.DEFAULT_BASE_URL + "; the sandbox's URL in tests)"),
                    new Setting("identity_url", false, false, "token host (default " + XeroConfig.DEFAULT_IDENTITY_URL + ", or base_url when that is set)"),
                    new Setting("streams", false, false, "streams to offer (default: all)"),
                    new Setting("start_date", false, false, "first sync reads documents changed after this date"),
                    new Setting("overlap_seconds", false, false, "each incremental sync re-reads this much before its cursor (default 300)"),
                    new Setting("page_size", false, false, "documents per page, 1..1000 (default 1000)"),
                    new Setting("daily_budget_share", false, false, "share of each organisation's 5,000 daily calls this connection may use (default 1.0)"),
                    new Setting("minute_limit", false, false, "calls per minute per organisation (default 60, Xero's limit)"),
                    new Setting("daily_limit", false, false, "calls per day per organisation (default 5000, Xero's limit)"),
                    new Setting("reconcile_every", false, false, "list every id this often to find vanished drafts (default 1d; off = never)")),
            Set.of(ConnectorSpec.Capability.INCREMENTAL, ConnectorSpec.Capability.SOURCE_DELETES));

    private final Clock clock;
    private final Sleeper sleeper;
    private volatile SecretStore secrets = SecretStore.inMemory();

    public XeroSource() {
        this(Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public XeroSource(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public void useSecrets(SecretStore store) {
        this.secrets = Objects.requireNonNull(store, "store is null");
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    @Override
    public void validate(Config config) {
        XeroConfig.from(config);
    }

    @Override
    public CheckResult check(Config config) {
        try {
            XeroConfig c = XeroConfig.from(config);
            XeroClient client = XeroClient.of(c, clock, sleeper, secrets);
            List<String> names = new ArrayList<>();
            for (JsonNode t : client.connections()) names.add(t.path("tenantName").asText() + " (" + t.path("tenantId").asText() + ")");
            List<String> tenants = tenants(client, c, config);
            return CheckResult.ok("connected to Xero at " + c.baseUrl() + " with " + (c.clientCredentials() ? "a custom connection" : "an OAuth app")
                    + "; organisations: " + String.join(", ", names) + "; syncing " + tenants.size());
        } catch (RuntimeException e) {
            return CheckResult.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    @Override
    public Catalog discover(Config config) {
        return XeroCatalog.catalog(XeroConfig.from(config).streams());
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        XeroConfig c = XeroConfig.from(config);
        XeroCatalog.StreamDef def = XeroCatalog.stream(stream.id().name()).orElseThrow(() -> config.error("streams",
                "no Xero stream '" + stream.id().name() + "'" + Config.didYouMean(stream.id().name(), XeroCatalog.names())));
        XeroClient client = XeroClient.of(c, clock, sleeper, secrets);
        return new XeroStreamReader(client, c, def, stream.id(), stream.syncMode(), resumeFrom.map(XeroState.CODEC::fromState),
                tenants(client, c, config));
    }

    /** The configured tenants (each must be connected), or every connected one, sorted. */
    private static List<String> tenants(XeroClient client, XeroConfig c, Config config) {
        List<String> connected = new ArrayList<>();
        for (JsonNode t : client.connections()) connected.add(t.path("tenantId").asText().toLowerCase());
        if (c.tenants().isEmpty()) {
            if (connected.isEmpty()) throw config.error("tenants", "the Xero connection reaches no organisation: connect one in Xero's consent flow");
            return connected.stream().sorted().toList();
        }
        for (String t : c.tenants()) {
            if (!connected.contains(t)) {
                throw config.error("tenants", "organisation " + t + " is not connected to this app (connected: " + connected
                        + "); reconnect it in Xero's consent flow or remove it");
            }
        }
        return c.tenants().stream().sorted().toList();
    }
}
