package dev.tributary.destination.duckdb;

import static dev.tributary.destination.duckdb.Identifiers.quote;

import dev.tributary.spi.Completion;
import dev.tributary.spi.RunId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Applies a merge writer's {@link Completion}s at commit. Keys seen by a reconciliation pass are staged in a TEMP
 * table ({@value #STAGED_KEYS}) as batches arrive, and moved at commit into {@code main._tributary_reconcile_keys},
 * with the pass (id and start) in {@code main._tributary_reconcile_passes}, in the commit transaction: so the seen
 * set always matches the committed state, and a crash loses exactly what the state will make the source send again.
 * The commit that ends a pass marks unseen rows deleted and forgets the pass. Scoped completions are applied at
 * commit against the staged rows, the last batch covering a scope value winning.
 */
final class Reconciler {
    static final String STAGED_KEYS = "_tributary_staged_seen_keys";
    private static final String SEQ = quote(StagingTables.SEQ);
    private static final String EXTRACTED_AT = quote(MetadataColumns.EXTRACTED_AT);
    private static final String DELETED_AT = quote(MetadataColumns.DELETED_AT);
    private static final String RUN_ID = quote(MetadataColumns.RUN_ID);

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

    private final DuckDBConnection c;
    private final String keysTable;
    private final String passesTable;
    private final String connectionName;
    private final String streamName;
    private final Map<String, PassSeen> passes = new LinkedHashMap<>();
    private final List<ScopeBatch> scopes = new ArrayList<>();

    Reconciler(DuckDBConnection writerConnection, String catalog, String connectionName, String streamName) {
        this.c = writerConnection;
        this.keysTable = new TableName(catalog, "main", "_tributary_reconcile_keys").quoted();
        this.passesTable = new TableName(catalog, "main", "_tributary_reconcile_passes").quoted();
        this.connectionName = connectionName;
        this.streamName = streamName;
    }

    /** (Re)creates the empty TEMP table of staged keys and forgets everything pending. */
    void startStaging() throws SQLException {
        execute("CREATE OR REPLACE TEMP TABLE " + quote(STAGED_KEYS) + " (" + SEQ + " BIGINT, pass_id VARCHAR, key VARCHAR)");
        passes.clear();
        scopes.clear();
    }

    boolean hasWork() {
        return !passes.isEmpty() || !scopes.isEmpty();
    }

    /** Stages the completions of a batch whose first staged row has sequence number {@code seq}. */
    void stage(List<Completion> completions, long seq, Instant stagedAt) throws SQLException {
        for (Completion completion : completions) {
            switch (completion) {
                case Completion.KeysSeen k -> {
                    PassSeen pass = passes.computeIfAbsent(k.passId(), id -> new PassSeen(id, stagedAt));
                    if (!k.keys().isEmpty()) {
                        try (DuckDBAppender a = c.createAppender("temp", "main", STAGED_KEYS)) {
                            for (List<Object> key : k.keys()) a.beginRow().append(seq).append(k.passId()).append(Completion.asText(key)).endRow();
                        }
                    }
                    if (k.endsPass()) pass.endedDeletedAt = k.deletedAt();
                }
                case Completion.Scopes s -> scopes.add(new ScopeBatch(s.columns(),
                        s.values().stream().map(Completion::asText).toList(), seq, s.deletedAt()));
            }
        }
    }

    /** Takes out keys staged from {@code seq} on (a batch that failed half-way). */
    void discardFrom(long seq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM temp.main." + quote(STAGED_KEYS) + " WHERE " + SEQ + " >= ?")) {
            p.setLong(1, seq);
            p.executeUpdate();
        }
        scopes.removeIf(s -> s.firstSeq() >= seq);
    }

    /**
     * Inside the commit transaction, after the staged rows were merged into {@code target} and before staging is
     * cleared: applies scoped completions, then moves seen keys and ends passes.
     */
    void apply(TableName target, String staging, List<Column> key, Map<String, Column> columnsBySource, RunId run) throws SQLException {
        applyScopes(target, staging, key, columnsBySource, run);
        if (passes.isEmpty()) return;
        createTables();
        for (PassSeen pass : passes.values()) {
            Optional<Instant> started = passStart(pass.id);
            if (started.isEmpty()) {
                forgetPasses(); // a new pass replaces any unfinished one
                try (PreparedStatement p = c.prepareStatement("INSERT INTO " + passesTable + " VALUES (?, ?, ?, ?)")) {
                    p.setString(1, connectionName);
                    p.setString(2, streamName);
                    p.setString(3, pass.id);
                    p.setString(4, pass.firstSeenAt.toString());
                    p.executeUpdate();
                }
                started = Optional.of(pass.firstSeenAt);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + keysTable + " SELECT ?, ?, pass_id, key FROM temp.main."
                    + quote(STAGED_KEYS) + " WHERE pass_id = ?")) {
                p.setString(1, connectionName);
                p.setString(2, streamName);
                p.setString(3, pass.id);
                p.executeUpdate();
            }
            if (pass.endedDeletedAt != null) {
                try (PreparedStatement p = c.prepareStatement("UPDATE " + target.quoted() + " AS t SET " + DELETED_AT
                        + " = CAST(? AS TIMESTAMPTZ), " + RUN_ID + " = ? WHERE t." + DELETED_AT + " IS NULL AND t." + EXTRACTED_AT
                        + " < CAST(? AS TIMESTAMPTZ) AND NOT EXISTS (SELECT 1 FROM " + keysTable
                        + " AS k WHERE k.connection = ? AND k.stream = ? AND k.pass_id = ? AND k.key = " + asText(key) + ")")) {
                    p.setString(1, pass.endedDeletedAt.toString());
                    p.setString(2, run.value());
                    p.setString(3, started.get().toString());
                    p.setString(4, connectionName);
                    p.setString(5, streamName);
                    p.setString(6, pass.id);
                    p.executeUpdate();
                }
                forgetPasses();
            }
        }
        execute("DELETE FROM temp.main." + quote(STAGED_KEYS));
        passes.clear();
    }

    private void applyScopes(TableName target, String staging, List<Column> key, Map<String, Column> columnsBySource, RunId run) throws SQLException {
        if (scopes.isEmpty()) return;
        // Each scope value is completed by the last batch that covers it.
        Map<String, Integer> lastBatch = new HashMap<>();
        for (int i = 0; i < scopes.size(); i++) {
            for (String v : scopes.get(i).values()) lastBatch.put(scopes.get(i).columns() + "\u0000" + v, i);
        }
        String sameKey = key.stream().map(k -> "s." + k.quoted() + " IS NOT DISTINCT FROM t." + k.quoted()).collect(Collectors.joining(" AND "));
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
                try (PreparedStatement p = c.prepareStatement("UPDATE " + target.quoted() + " AS t SET " + DELETED_AT
                        + " = CAST(? AS TIMESTAMPTZ), " + RUN_ID + " = ? WHERE t." + DELETED_AT + " IS NULL AND " + asText(scopeColumns)
                        + " IN (" + in + ") AND NOT EXISTS (SELECT 1 FROM " + staging + " AS s WHERE " + sameKey + " AND s." + SEQ + " >= ?)")) {
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
    private static String asText(List<Column> columns) {
        return columns.stream().map(col -> "CAST(t." + col.quoted() + " AS VARCHAR)").collect(Collectors.joining(" || chr(31) || "));
    }

    private Optional<Instant> passStart(String passId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT started_at FROM " + passesTable
                + " WHERE connection = ? AND stream = ? AND pass_id = ?")) {
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
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE connection = ? AND stream = ?")) {
                p.setString(1, connectionName);
                p.setString(2, streamName);
                p.executeUpdate();
            }
        }
    }

    private void createTables() throws SQLException {
        execute("CREATE TABLE IF NOT EXISTS " + passesTable + " (connection VARCHAR NOT NULL, stream VARCHAR NOT NULL, "
                + "pass_id VARCHAR NOT NULL, started_at VARCHAR NOT NULL)");
        execute("CREATE TABLE IF NOT EXISTS " + keysTable + " (connection VARCHAR NOT NULL, stream VARCHAR NOT NULL, "
                + "pass_id VARCHAR NOT NULL, key VARCHAR NOT NULL)");
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
