package dev.tributary.scheduler.tenant;

import dev.tributary.project.FileSecretStore;
import dev.tributary.scheduler.JdbcMetadataStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The app's tenants in the metadata store (H2 or PostgreSQL), beside the runs: accounts with their sealed refresh
 * tokens, their sync figures per connection, secrets a tenant's connector learns (a rotated token), and the
 * single-use install states. The tables are added by this class when it opens a store ({@code CREATE TABLE IF NOT
 * EXISTS}: an additive step that leaves the run tables and their version alone). Refresh tokens are sealed with the
 * project's secret key (AES-256-GCM, bound to the hub id): processes that share the store must share
 * {@code TRIBUTARY_SECRET_KEY}. Thread-safe; every method is one transaction.
 */
public final class TenantStore {
    private final JdbcMetadataStore db;
    private final FileSecretStore sealer;

    private TenantStore(JdbcMetadataStore db, FileSecretStore sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    /** Opens the tenant tables of {@code db}, creating them when missing. */
    public static TenantStore open(JdbcMetadataStore db, FileSecretStore sealer) {
        TenantStore store = new TenantStore(Objects.requireNonNull(db, "db is null"), Objects.requireNonNull(sealer, "sealer is null"));
        store.createTables();
        return store;
    }

    private void createTables() {
        List<String> ddl = List.of(
                "CREATE TABLE IF NOT EXISTS " + t("tenants") + " (hub_id BIGINT PRIMARY KEY, name VARCHAR(500) NOT NULL,"
                        + " user_name VARCHAR(500) NOT NULL, user_id BIGINT NOT NULL, scopes VARCHAR NOT NULL,"
                        + " installed_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " status VARCHAR(20) NOT NULL, status_reason VARCHAR, refresh_token_sealed VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + t("tenant_syncs") + " (connection_name VARCHAR(200) NOT NULL, hub_id BIGINT NOT NULL,"
                        + " last_sync_at TIMESTAMP WITH TIME ZONE NOT NULL, last_rows BIGINT NOT NULL, total_rows BIGINT NOT NULL,"
                        + " last_error VARCHAR, failures BIGINT NOT NULL, api_calls BIGINT NOT NULL, syncs BIGINT NOT NULL,"
                        + " PRIMARY KEY (connection_name, hub_id))",
                "CREATE TABLE IF NOT EXISTS " + t("tenant_secrets") + " (hub_id BIGINT NOT NULL, name VARCHAR(300) NOT NULL,"
                        + " sealed VARCHAR NOT NULL, PRIMARY KEY (hub_id, name))",
                "CREATE TABLE IF NOT EXISTS " + t("tenant_install_states") + " (nonce VARCHAR(100) PRIMARY KEY,"
                        + " expires_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        db.transaction(c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : ddl) s.execute(sql);
            }
            return null;
        });
    }

    /**
     * Records an install: a new tenant, or for a hub installed before, its new name, user, scopes and token (a second
     * install of the same account updates it and makes it ACTIVE again). Returns true for a new tenant.
     */
    public boolean recordInstall(InstalledAccount a, String refreshToken, Instant now) {
        String sealed = sealer.seal(tokenName(a.hubId()), refreshToken);
        return db.transaction(c -> {
            boolean exists;
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM " + t("tenants") + " WHERE hub_id = ? FOR UPDATE")) {
                p.setLong(1, a.hubId());
                try (ResultSet rs = p.executeQuery()) {
                    exists = rs.next();
                }
            }
            String sql = exists
                    ? "UPDATE " + t("tenants") + " SET name = ?, user_name = ?, user_id = ?, scopes = ?, updated_at = ?, status = ?,"
                            + " status_reason = NULL, refresh_token_sealed = ? WHERE hub_id = ?"
                    : "INSERT INTO " + t("tenants") + " (name, user_name, user_id, scopes, updated_at, status, refresh_token_sealed, hub_id,"
                            + " installed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, a.name());
                p.setString(2, a.user());
                p.setLong(3, a.userId());
                p.setString(4, String.join(" ", a.scopes()));
                p.setObject(5, ts(now));
                p.setString(6, TenantStatus.ACTIVE.name());
                p.setString(7, sealed);
                p.setLong(8, a.hubId());
                if (!exists) p.setObject(9, ts(now));
                p.executeUpdate();
            }
            if (exists) deleteSecrets(c, a.hubId()); // a rotated token of the old install must not win over the new one
            return !exists;
        });
    }

    public List<Tenant> list() {
        return db.transaction(c -> {
            Map<Long, List<TenantSync>> syncs = syncs(c, null);
            List<Tenant> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(select() + " ORDER BY installed_at, hub_id")) {
                while (rs.next()) out.add(tenant(rs, syncs.getOrDefault(rs.getLong("hub_id"), List.of())));
            }
            return out;
        });
    }

    public Optional<Tenant> find(long hubId) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement(select() + " WHERE hub_id = ?")) {
                p.setLong(1, hubId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(tenant(rs, syncs(c, hubId).getOrDefault(hubId, List.of())));
                }
            }
        });
    }

    /**
     * Tenants with this status in the order a fair run takes them: those whose last sync failed, then the rest, each
     * group oldest sync first (never synced first).
     */
    public List<Tenant> withStatus(TenantStatus status) {
        return list().stream().filter(t -> t.status() == status)
                .sorted(java.util.Comparator.comparing((Tenant t) -> t.syncs().stream().noneMatch(s -> s.lastError().isPresent()))
                        .thenComparing(t -> t.lastSyncAt().orElse(Instant.EPOCH)).thenComparingLong(Tenant::hubId))
                .toList();
    }

    /** Sets a tenant's status; false when there is no such tenant. */
    public boolean setStatus(long hubId, TenantStatus status, String reason, Instant now) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + t("tenants") + " SET status = ?, status_reason = ?, updated_at = ? WHERE hub_id = ?")) {
                p.setString(1, status.name());
                p.setString(2, reason);
                p.setObject(3, ts(now));
                p.setLong(4, hubId);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** The tenant's refresh token, unsealed (for its sync only; never shown). */
    public String refreshToken(long hubId) {
        String sealed = db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT refresh_token_sealed FROM " + t("tenants") + " WHERE hub_id = ?")) {
                p.setLong(1, hubId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (sealed == null) throw new IllegalArgumentException("no tenant with hub id " + hubId);
        return sealer.unseal(tokenName(hubId), sealed);
    }

    /** A secret the tenant's connector stored (a rotated refresh token), unsealed. */
    public Optional<String> secret(long hubId, String name) {
        String sealed = db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT sealed FROM " + t("tenant_secrets") + " WHERE hub_id = ? AND name = ?")) {
                p.setLong(1, hubId);
                p.setString(2, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return Optional.ofNullable(sealed).map(v -> sealer.unseal(secretName(hubId, name), v));
    }

    public void putSecret(long hubId, String name, String value) {
        String sealed = sealer.seal(secretName(hubId, name), value);
        db.transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + t("tenant_secrets") + " WHERE hub_id = ? AND name = ?")) {
                d.setLong(1, hubId);
                d.setString(2, name);
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t("tenant_secrets") + " (hub_id, name, sealed) VALUES (?, ?, ?)")) {
                p.setLong(1, hubId);
                p.setString(2, name);
                p.setString(3, sealed);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The secret store a tenant's connector uses (a rotated refresh token lands here, sealed, beside the tenant). */
    public dev.tributary.spi.SecretStore secretsOf(long hubId) {
        return new dev.tributary.spi.SecretStore() {
            @Override
            public Optional<String> read(String name) {
                return secret(hubId, name);
            }

            @Override
            public void write(String name, String value) {
                putSecret(hubId, name, value);
            }

            @Override
            public String toString() {
                return "the tenant store (hub " + hubId + ")";
            }
        };
    }

    /** Adds one sync of one tenant's connection to its figures. */
    public void recordSync(String connection, long hubId, Instant at, long rows, Optional<String> error, long apiCalls) {
        db.transaction(c -> {
            int updated;
            try (PreparedStatement p = c.prepareStatement("UPDATE " + t("tenant_syncs") + " SET last_sync_at = ?, last_rows = ?,"
                    + " total_rows = total_rows + ?, last_error = ?, failures = failures + ?, api_calls = api_calls + ?, syncs = syncs + 1"
                    + " WHERE connection_name = ? AND hub_id = ?")) {
                p.setObject(1, ts(at));
                p.setLong(2, rows);
                p.setLong(3, rows);
                p.setString(4, error.orElse(null));
                p.setLong(5, error.isPresent() ? 1 : 0);
                p.setLong(6, apiCalls);
                p.setString(7, connection);
                p.setLong(8, hubId);
                updated = p.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t("tenant_syncs") + " (connection_name, hub_id, last_sync_at,"
                        + " last_rows, total_rows, last_error, failures, api_calls, syncs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
                    p.setString(1, connection);
                    p.setLong(2, hubId);
                    p.setObject(3, ts(at));
                    p.setLong(4, rows);
                    p.setLong(5, rows);
                    p.setString(6, error.orElse(null));
                    p.setLong(7, error.isPresent() ? 1 : 0);
                    p.setLong(8, apiCalls);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Forgets a tenant: its row, sync figures and secrets. Returns false when there was none. */
    public boolean delete(long hubId) {
        return db.transaction(c -> {
            deleteSecrets(c, hubId);
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t("tenant_syncs") + " WHERE hub_id = ?")) {
                p.setLong(1, hubId);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t("tenants") + " WHERE hub_id = ?")) {
                p.setLong(1, hubId);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Remembers an install state's nonce until it is used or expires. */
    public void issueState(String nonce, Instant expiresAt) {
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + t("tenant_install_states") + " (nonce, expires_at) VALUES (?, ?)")) {
                p.setString(1, nonce);
                p.setObject(2, ts(expiresAt));
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Uses up an install state: true only the first time, and only before it expires (one DELETE decides, so two
     * callbacks racing with the same state cannot both win). Expired states are swept on the way.
     */
    public boolean consumeState(String nonce, Instant now) {
        return db.transaction(c -> {
            int n;
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t("tenant_install_states") + " WHERE nonce = ? AND expires_at > ?")) {
                p.setString(1, nonce);
                p.setObject(2, ts(now));
                n = p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t("tenant_install_states") + " WHERE expires_at <= ?")) {
                p.setObject(1, ts(now));
                p.executeUpdate();
            }
            return n == 1;
        });
    }

    private void deleteSecrets(Connection c, long hubId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t("tenant_secrets") + " WHERE hub_id = ?")) {
            p.setLong(1, hubId);
            p.executeUpdate();
        }
    }

    private Map<Long, List<TenantSync>> syncs(Connection c, Long hubId) throws SQLException {
        Map<Long, List<TenantSync>> out = new HashMap<>();
        String sql = "SELECT * FROM " + t("tenant_syncs") + (hubId == null ? "" : " WHERE hub_id = ?") + " ORDER BY connection_name";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (hubId != null) p.setLong(1, hubId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long hub = rs.getLong("hub_id");
                    out.computeIfAbsent(hub, k -> new ArrayList<>()).add(new TenantSync(rs.getString("connection_name"), hub,
                            rs.getObject("last_sync_at", OffsetDateTime.class).toInstant(), rs.getLong("last_rows"), rs.getLong("total_rows"),
                            Optional.ofNullable(rs.getString("last_error")), rs.getLong("failures"), rs.getLong("api_calls"), rs.getLong("syncs")));
                }
            }
        }
        return out;
    }

    private String select() {
        return "SELECT hub_id, name, user_name, user_id, scopes, installed_at, updated_at, status, status_reason FROM " + t("tenants");
    }

    private static Tenant tenant(ResultSet rs, List<TenantSync> syncs) throws SQLException {
        String scopes = rs.getString("scopes");
        return new Tenant(rs.getLong("hub_id"), rs.getString("name"), rs.getString("user_name"), rs.getLong("user_id"),
                scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" ")), rs.getObject("installed_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), TenantStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(rs.getString("status_reason")), syncs);
    }

    private String t(String table) {
        return db.table(table);
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static String tokenName(long hubId) {
        return "tenant/" + hubId + "/refresh_token";
    }

    private static String secretName(long hubId, String name) {
        return "tenant/" + hubId + "/" + name;
    }

    @Override
    public String toString() {
        return "tenants in " + db;
    }
}
