package dev.tributary.source.wrike;

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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Wrike ({@code type: wrike}): account, contacts, spaces, folders and projects, workflows and custom statuses, custom
 * fields, tasks with child tables (custom field values typed by their definitions, responsible users, parent folders,
 * super tasks), comments, time logs, attachment metadata, approvals and dependencies. Incremental by updatedDate
 * windows with a safety lag and an overlap; recycled tasks and deleted users become soft deletes; a periodic id
 * reconciliation catches tasks that vanish silently. See the module README.
 */
public final class WrikeSource implements Source {
    private static final ConnectorSpec SPEC = new ConnectorSpec("wrike",
            "Wrike API v4: projects, folders, tasks, time logs, comments and the account's people and settings",
            List.of(
                    new Setting("access_token", false, true, "a permanent token from Wrike's app console (or use OAuth: client_id, client_secret, refresh_token)"),
                    new Setting("client_id", false, true, "OAuth 2.0: the Wrike app's client id"),
                    new Setting("client_secret", false, true, "OAuth 2.0: the Wrike app's client secret"),
                    new Setting("refresh_token", false, true, "OAuth 2.0: the refresh token from the consent (each new one is kept in the project's secret store)"),
                    new Setting("base_url", false, false, "API base (default " + WrikeConfig.DEFAULT_BASE_URL + "; OAuth answers name the account's host, which is then used)"),
                    new Setting("token_url", false, false, "OAuth token endpoint (default " + WrikeConfig.DEFAULT_TOKEN_URL + ", or base_url's host when base_url is set)"),
                    new Setting("streams", false, false, "streams to offer (default: all)"),
                    new Setting("start_date", false, false, "first sync reads tasks updated from this date"),
                    new Setting("lag_seconds", false, false, "windows end this long before now, so edits still being indexed are not passed (default 60)"),
                    new Setting("overlap_seconds", false, false, "each window starts this long before the last one ended (default 300)"),
                    new Setting("page_size", false, false, "tasks per page, 1..1000 (default 1000)"),
                    new Setting("requests_per_minute", false, false, "the pace for this user, shared by all streams (default 400, Wrike's documented rate)"),
                    new Setting("reconcile_every", false, false, "list every task id this often to find tasks that vanished (default 1d; off = never)")),
            Set.of(ConnectorSpec.Capability.INCREMENTAL, ConnectorSpec.Capability.SOURCE_DELETES));

    private final Clock clock;
    private final Sleeper sleeper;
    private volatile SecretStore secrets = SecretStore.inMemory();

    public WrikeSource() {
        this(Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public WrikeSource(Clock clock, Sleeper sleeper) {
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
        WrikeConfig.from(config);
    }

    @Override
    public CheckResult check(Config config) {
        try {
            WrikeConfig c = WrikeConfig.from(config);
            WrikeClient client = WrikeClient.of(c, clock, sleeper, secrets);
            JsonNode account = client.get("/account").path("data").path(0);
            return CheckResult.ok("connected to Wrike account " + account.path("name").asText() + " (" + account.path("id").asText() + ") at "
                    + client.apiBase() + " with " + (c.oauth() ? "OAuth 2.0" : "a permanent token"));
        } catch (RuntimeException e) {
            return CheckResult.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    @Override
    public Catalog discover(Config config) {
        return WrikeCatalog.catalog(WrikeConfig.from(config).streams());
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        WrikeConfig c = WrikeConfig.from(config);
        WrikeCatalog.StreamDef def = WrikeCatalog.stream(stream.id().name()).orElseThrow(() -> config.error("streams",
                "no Wrike stream '" + stream.id().name() + "'" + Config.didYouMean(stream.id().name(), WrikeCatalog.names())));
        return new WrikeReader(WrikeClient.of(c, clock, sleeper, secrets), c, def, stream.id(), stream.syncMode(),
                resumeFrom.map(WrikeState.CODEC::fromState));
    }
}
