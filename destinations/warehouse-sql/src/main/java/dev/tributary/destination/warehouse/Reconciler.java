package dev.tributary.destination.warehouse;

import dev.tributary.spi.Completion;
import dev.tributary.spi.RunId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Applies a merge writer's {@link Completion}s at commit (the completion primitive). Keys seen by a reconciliation
 * pass are staged in a temporary table ({@value #STAGED_KEYS}) as batches arrive, and moved at commit into
 * {@value #KEYS} of the metadata schema, with the pass (id and start) in {@value #PASSES}, in the commit
 * transaction: so the seen set always matches the committed state, and a crash loses exactly what the state will
 * make the source send again. The commit that ends a pass marks unseen rows deleted and forgets the pass. Scoped
 * completions are applied at commit against the staged rows, the last batch covering a scope value winning.
 */
public final class Reconciler {
    public static final String STAGED_KEYS = "_tributary_staged_seen_keys";
    public static final String KEYS = "_tributary_reconcile_keys";
    public static final String PASSES = "_tributary_reconcile_passes";

    /** A pass as this writer saw it since the last commit, in order of first appearance. */
    private static final class PassSeen {
        final String id;
        final Instant firstSeenAt;
        Instant endedDeletedAt;

        PassSeen(String id, Instant firstSeenAt) {
            this.id = id;
            this.firstSeenAt = firstSeenAt;
        }
    }

    private record ScopeBatch(List<String> columns, List<String> values, long firstSeq, Instant deletedAt) {}

    private final Connection c;
    private final SqlDialect dialect;
    private final SchemaRef metadataSchema;
    private final String keysTable;
    private final String passesTable;
    private final String connectionName;
    private final String streamName;
    private final String seq;
    private final String extractedAt;
    private final String deletedAt;
    private final String runId;
    /** {@code connection = ? AND stream = ?}, quoted: CONNECTION is a reserved word in Snowflake. */
    private final String ownRows;
    private final String passIdColumn;
    private final String keyColumn;
    private final Map<String, PassSeen> passes = new LinkedHashMap<>();
    private final List<ScopeBatch> scopes = new ArrayList<>();

    public Reconciler(Connection writerConnection, SqlDialect dialect, SchemaRef metadataSchema, String connectionName, String streamName) {
        this.c = writerConnection;
        this.dialect = dialect;
        this.metadataSchema = metadataSchema;
        this.keysTable = dialect.qualified(metadataSchema.table(KEYS));
        this.passesTable = dialect.qualified(metadataSchema.table(PASSES));
        this.connectionName = connectionName;
        this.streamName = streamName;
        this.seq = dialect.quote(StagingTables.SEQ);
        this.extractedAt = dialect.quote(MetadataColumns.EXTRACTED_AT);
        this.deletedAt = dialect.quote(MetadataColumns.DELETED_AT);
        this.runId = dialect.quote(MetadataColumns.RUN_ID);
        this.ownRows = dialect.quote("connection") + " = ? AND " + dialect.quote("stream") + " = ?";
        this.passIdColumn = dialect.quote("pass_id");
        this.keyColumn = dialect.quote("key");
    }

    /** (Re)creates the empty temporary table of staged keys and forgets everything pending. */
    public void startStaging() throws SQLException {
        String text = dialect.textType();
        Sql.execute(c, dialect.createTempTable(STAGED_KEYS, seq + " " + dialect.bigintType() + ", " + passIdColumn + " " + text + ", " + keyColumn + " " + text));
        passes.clear();
        scopes.clear();
    }

    public boolean hasWork() {
        return !passes.isEmpty() || !scopes.isEmpty();
    }

    /** Stages the completions of a batch whose first staged row has sequence number {@code seq}. */
    public void stage(List<Completion> completions, long batchSeq, Instant stagedAt) throws SQLException {
        for (Completion completion : completions) {
            switch (completion) {
                case Completion.KeysSeen k -> {
                    PassSeen pass = passes.computeIfAbsent(k.passId(), id -> new PassSeen(id, stagedAt));
                    if (!k.keys().isEmpty()) dialect.stageKeys(c, STAGED_KEYS, batchSeq, k.passId(), k.keys().stream().map(Completion::asText).toList());
                    if (k.endsPass()) pass.endedDeletedAt = k.deletedAt();
                }
                case Completion.Scopes s -> scopes.add(new ScopeBatch(s.columns(),
                        s.values().stream().map(Completion::asText).toList(), batchSeq, s.deletedAt()));
            }
        }
    }

    /** Takes out keys staged from {@code seq} on (a batch that failed half-way). */
    public void discardFrom(long fromSeq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + stagedKeys() + " WHERE " + seq + " >= ?")) {
            p.setLong(1, fromSeq);
            p.executeUpdate();
        }
        scopes.removeIf(s -> s.firstSeq() >= fromSeq);
    }

    /**
     * Inside the commit transaction, after the staged rows were merged into {@code target} and before staging is
     * cleared: applies scoped completions, then moves seen keys and ends passes. The caller made the tables
     * ({@link #createTables}) when {@link #recordsPasses}.
     */
    public void apply(TableRef target, String staging, List<Column> key, Map<String, Column> columnsBySource, RunId run) throws SQLException {
        applyScopes(target, staging, key, columnsBySource, run);
        if (passes.isEmpty()) return;
        String time = dialect.timestampTzType();
        for (PassSeen pass : passes.values()) {
            Optional<Instant> started = passStart(pass.id);
            if (started.isEmpty()) {
                forgetPasses(); // a new pass replaces any unfinished one
                Sql.update(c, "INSERT INTO " + passesTable + " VALUES (?, ?, ?, ?)", connectionName, streamName, pass.id, pass.firstSeenAt.toString());
                started = Optional.of(pass.firstSeenAt);
            }
            Sql.update(c, "INSERT INTO " + keysTable + " SELECT ?, ?, " + passIdColumn + ", " + keyColumn + " FROM " + stagedKeys() + " WHERE " + passIdColumn + " = ?",
                    connectionName, streamName, pass.id);
            if (pass.endedDeletedAt != null) {
                Sql.update(c, "UPDATE " + dialect.qualified(target) + " AS t SET " + deletedAt + " = CAST(? AS " + time + "), " + runId
                        + " = ? WHERE t." + deletedAt + " IS NULL AND t." + extractedAt + " < CAST(? AS " + time + ") AND NOT EXISTS (SELECT 1 FROM "
                        + keysTable + " AS k WHERE k." + dialect.quote("connection") + " = ? AND k." + dialect.quote("stream") + " = ? AND k." + passIdColumn + " = ? AND k."
                        + keyColumn + " = " + asText(key) + ")",
                        pass.endedDeletedAt.toString(), run.value(), started.get().toString(), connectionName, streamName, pass.id);
                forgetPasses();
            }
        }
        Sql.execute(c, "DELETE FROM " + stagedKeys());
        passes.clear();
    }

    private void applyScopes(TableRef target, String staging, List<Column> key, Map<String, Column> columnsBySource, RunId run) throws SQLException {
        if (scopes.isEmpty()) return;
        // Each scope value is completed by the last batch that covers it.
        Map<String, Integer> lastBatch = new HashMap<>();
        for (int i = 0; i < scopes.size(); i++) {
            for (String v : scopes.get(i).values()) lastBatch.put(scopes.get(i).columns() + "\u0000" + v, i);
        }
        String sameKey = key.stream().map(k -> "s." + dialect.quote(k.name()) + " IS NOT DISTINCT FROM t." + dialect.quote(k.name()))
                .collect(Collectors.joining(" AND "));
        for (int i = 0; i < scopes.size(); i++) {
            ScopeBatch b = scopes.get(i);
            int index = i;
            List<String> values = b.values().stream().filter(v -> lastBatch.get(b.columns() + "\u0000" + v) == index).distinct().toList();
            List<Column> scopeColumns = new ArrayList<>();
            for (String name : b.columns()) {
                Column col = columnsBySource.get(name);
                if (col == null) throw new IllegalArgumentException("scope column '" + name + "' is not a column of " + target);
                scopeColumns.add(col);
            }
            for (int from = 0; from < values.size(); from += 500) {
                List<String> chunk = values.subList(from, Math.min(values.size(), from + 500));
                String in = chunk.stream().map(v -> "?").collect(Collectors.joining(", "));
                try (PreparedStatement p = c.prepareStatement("UPDATE " + dialect.qualified(target) + " AS t SET " + deletedAt
                        + " = CAST(? AS " + dialect.timestampTzType() + "), " + runId + " = ? WHERE t." + deletedAt + " IS NULL AND "
                        + asText(scopeColumns) + " IN (" + in + ") AND NOT EXISTS (SELECT 1 FROM " + staging + " AS s WHERE " + sameKey
                        + " AND s." + seq + " >= ?)")) {
                    int n = 1;
                    p.setString(n++, b.deletedAt().toString());
                    p.setString(n++, run.value());
                    for (String v : chunk) p.setString(n++, v);
                    p.setLong(n, b.firstSeq());
                    p.executeUpdate();
                }
            }
        }
        scopes.clear();
    }

    /** A row's key (or scope) as {@link Completion#asText} writes it. */
    private String asText(List<Column> columns) {
        return columns.stream().map(col -> "CAST(t." + dialect.quote(col.name()) + " AS " + dialect.textType() + ")")
                .collect(Collectors.joining(" || chr(31) || "));
    }

    private Optional<Instant> passStart(String passId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + dialect.quote("started_at") + " FROM " + passesTable + " WHERE " + ownRows + " AND " + passIdColumn + " = ?")) {
            p.setString(1, connectionName);
            p.setString(2, streamName);
            p.setString(3, passId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(Instant.parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private void forgetPasses() throws SQLException {
        for (String table : List.of(keysTable, passesTable)) {
            Sql.update(c, "DELETE FROM " + table + " WHERE " + ownRows, connectionName, streamName);
        }
    }

    /** Creates the metadata tables of passes and seen keys when missing; inside the commit, or before it where DDL commits. */
    public void createTables() throws SQLException {
        dialect.lockName(c, metadataSchema.schema() + "._tributary_reconcile");
        String text = " " + dialect.textType() + " NOT NULL";
        String owner = dialect.quote("connection") + text + ", " + dialect.quote("stream") + text + ", " + passIdColumn + text + ", ";
        Sql.execute(c, "CREATE TABLE IF NOT EXISTS " + passesTable + " (" + owner + dialect.quote("started_at") + text + ")");
        Sql.execute(c, "CREATE TABLE IF NOT EXISTS " + keysTable + " (" + owner + keyColumn + text + ")");
    }

    /** Whether the next {@link #apply} records keys of a pass, and so needs {@link #createTables}. */
    public boolean recordsPasses() {
        return !passes.isEmpty();
    }

    private String stagedKeys() {
        return dialect.tempTable(STAGED_KEYS);
    }
}
