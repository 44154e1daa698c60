package dev.tributary.source.hubspot;

import dev.tributary.http.Sleeper;
import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.ConnectorSpec.Setting;
import dev.tributary.spi.Schema;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * HubSpot CRM ({@code type: hubspot}): objects (standard and custom) read incrementally by modification time
 * with archived and merged records as soft deletes, their associations and property history, and reference
 * streams (owners, pipelines, property definitions). See the module README.
 */
public final class HubspotSource implements Source {
    private static final ConnectorSpec SPEC = new ConnectorSpec("hubspot",
            "HubSpot CRM: contacts, companies, deals, tickets, line items, products, custom objects, associations, property history, owners, pipelines",
            List.of(
                    new Setting("access_token", false, true, "private app token (or use client_id, client_secret, refresh_token)"),
                    new Setting("client_id", false, true, "OAuth app client id"),
                    new Setting("client_secret", false, true, "OAuth app client secret"),
                    new Setting("refresh_token", false, true, "OAuth refresh token of the installed account"),
                    new Setting("base_url", false, false, "API base URL (default " + HubspotConfig.DEFAULT_BASE_URL + "; the sandbox's URL in tests)"),
                    new Setting("streams", false, false, "streams to offer (default: all)"),
                    new Setting("properties", false, false, "per object, the properties to read (default: all, custom and sensitive included)"),
                    new Setting("history_properties", false, false, "properties whose history is read (default dealstage, lifecyclestage, amount, hubspot_owner_id)"),
                    new Setting("start_date", false, false, "read only records modified after this date on the first sync"),
                    new Setting("safety_lag_seconds", false, false, "an incremental window ends this long before now (default 60); alias lookback_seconds"),
                    new Setting("lookback_seconds", false, false, "alias of safety_lag_seconds"),
                    new Setting("daily_budget_share", false, false, "share of the account's daily API limit this connection may use (default 1.0)"),
                    new Setting("max_concurrency", false, false, "calls in flight at once for this account (default 4)"),
                    new Setting("sensitive_properties", false, false, "also read sensitive properties when the scopes allow (default true)"),
                    new Setting("archived_every", false, false, "read the archived listing at most this often per object (default 1h; 0 = every sync)"),
                    new Setting("reconcile_every", false, false, "list every id this often per object to find deletions past the archive's retention (default 7d; off = never)")),
            Set.of(ConnectorSpec.Capability.INCREMENTAL, ConnectorSpec.Capability.SOURCE_DELETES));

    private final Clock clock;
    private final Sleeper sleeper;
    private volatile SecretStore secrets = SecretStore.inMemory();

    public HubspotSource() {
        this(Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** A source that reads time from {@code clock} and waits with {@code sleeper} (tests pass the sandbox's clock). */
    public HubspotSource(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Where a rotated OAuth refresh token is kept for the next run (the project's encrypted store). */
    @Override
    public void useSecrets(SecretStore store) {
        this.secrets = java.util.Objects.requireNonNull(store, "store is null");
    }

    @Override
    public ConnectorSpec spec() {
        return SPEC;
    }

    /** Reads every setting (nothing is opened or listed). */
    @Override
    public void validate(Config config) {
        HubspotConfig.from(config);
    }

    @Override
    public CheckResult check(Config config) {
        try {
            HubspotConfig c = HubspotConfig.from(config);
            HubspotClient client = HubspotClient.of(c, clock, sleeper, secrets);
            client.get("/crm/v3/owners?limit=1");
            Optional<Long> hub = client.hubId();
            return CheckResult.ok("connected to HubSpot at " + c.baseUrl() + " with " + c.credentials()
                    + hub.map(h -> "; portal (hub id) " + h).orElse(" (its hub id is not readable with this token; syncing does not need it)"));
        } catch (RuntimeException e) {
            return CheckResult.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    @Override
    public Catalog discover(Config config) {
        HubspotConfig c = HubspotConfig.from(config);
        return new HubspotCatalog(HubspotClient.of(c, clock, sleeper, secrets), c).catalog();
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        HubspotConfig c = HubspotConfig.from(config);
        HubspotClient client = HubspotClient.of(c, clock, sleeper, secrets);
        HubspotCatalog catalog = new HubspotCatalog(client, c);
        String name = stream.id().name();
        HubspotCatalog.Kind kind = catalog.kind(name).orElseThrow(() -> config.error("streams",
                "no stream '" + name + "' in this HubSpot account"));
        Optional<ObjectState> resume = resumeFrom.map(ObjectState.CODEC::fromState);
        return switch (kind) {
            case HubspotCatalog.ObjectKind o -> {
                List<PropertyDef> props = catalog.properties(o.object());
                // new properties (schema drift) join the configured columns; none is ever dropped
                Schema schema = stream.schema().merge(ObjectRows.schema(props));
                yield reader(client, c, o.object(), stream, resume, new RecordsHandler(name, schema, props));
            }
            case HubspotCatalog.AssociationKind a ->
                    reader(client, c, a.from(), stream, resume, ChangedRecordsReader.associations(client, a.from(), a.to()));
            case HubspotCatalog.HistoryKind h ->
                    reader(client, c, h.object(), stream, resume, ChangedRecordsReader.history(client, h.object(), h.properties()));
            case HubspotCatalog.DealStageKind d ->
                    reader(client, c, d.deals(), stream, resume, ChangedRecordsReader.dealStages(client, d.deals()));
            case HubspotCatalog.MetadataKind m -> new MetadataReader(client, catalog, stream.id(), m.name());
        };
    }

    private static StreamReader reader(HubspotClient client, HubspotConfig c, CrmObject object, ConfiguredStream stream,
            Optional<ObjectState> resume, ObjectStreamReader.PageHandler handler) {
        return new ObjectStreamReader(client, object, stream.id(), stream.syncMode(), resume, c.startDate(), c.safetyLag(),
                new ObjectStreamReader.Schedule(c.archivedEvery(), c.reconcileEvery()), handler);
    }
}
