package dev.tributary.sandbox.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.sandbox.snowflake.SqlTokens.Kind;
import dev.tributary.sandbox.snowflake.SqlTokens.Token;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one statement of a session: Snowflake's session commands (USE, ALTER SESSION, SHOW, DESCRIBE, CREATE/DROP
 * DATABASE, transactions) here, everything else translated by {@link SqlTranslator} and run on the session's DuckDB
 * connection, with the driver's bindings.
 */
final class StatementRunner {
    private final Databases databases;
    private final StageCommands stageCommands;
    private final CopyInto copyInto;
    private final ObjectProperties properties = new ObjectProperties();

    StatementRunner(Databases databases, Stages stages) {
        this.databases = databases;
        this.stageCommands = new StageCommands(stages);
        this.copyInto = new CopyInto(stageCommands, stages);
    }

    QueryResult run(SandboxSession s, String sql, JsonNode bindings, boolean describeOnly) throws SQLException {
        List<Token> words = SqlTokens.significant(SqlTokens.tokenize(sql));
        while (!words.isEmpty() && words.get(words.size() - 1).isSymbol(";")) words = words.subList(0, words.size() - 1);
        if (words.isEmpty()) throw SnowflakeError.syntax("Empty SQL statement.");
        Token first = words.get(0);
        String head = first.kind() == Kind.WORD ? first.text().toUpperCase(Locale.ROOT) : "";
        String second = words.size() > 1 && words.get(1).kind() == Kind.WORD ? words.get(1).text().toUpperCase(Locale.ROOT) : "";
        switch (head) {
            case "USE" -> {
                return describeOnly ? QueryResult.status("", QueryResult.USE) : use(s, words);
            }
            case "ALTER" -> {
                if (second.equals("SESSION")) return describeOnly ? QueryResult.status("", QueryResult.ALTER_SESSION) : alterSession(s, words);
                QueryResult clustering = describeOnly ? null : properties.alterClustering(s, sql, words);
                if (clustering != null) return clustering;
            }
            case "SHOW" -> {
                return ShowCommands.show(s, databases, properties, words);
            }
            case "DESCRIBE", "DESC" -> {
                return ShowCommands.describe(s, words);
            }
            case "BEGIN", "START" -> {
                if (!describeOnly) begin(s);
                return QueryResult.status("Statement executed successfully.", QueryResult.TCL);
            }
            case "COMMIT" -> {
                if (!describeOnly) endTransaction(s, true);
                return QueryResult.status("Statement executed successfully.", QueryResult.TCL);
            }
            case "ROLLBACK", "ABORT" -> {
                if (!describeOnly) endTransaction(s, false);
                return QueryResult.status("Statement executed successfully.", QueryResult.TCL);
            }
            case "PUT" -> {
                return stageCommands.put(s, sql);
            }
            case "GET" -> {
                return stageCommands.get(s, sql);
            }
            case "LIST", "LS", "REMOVE", "RM" -> {
                return stageCommands.listOrRemove(s, sql, head.startsWith("R"));
            }
            case "COPY" -> {
                if (s.database == null) throw new SnowflakeError("090105", "22000", "Cannot perform COPY. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
                return describeOnly ? QueryResult.status("", QueryResult.COPY) : copyInto.run(s, sql);
            }
            default -> { }
        }
        if ((head.equals("CREATE") || head.equals("DROP")) && StageCommands.isStageDdl(words)) {
            return describeOnly ? QueryResult.status("", QueryResult.DDL) : stageCommands.createOrDrop(s, head, words);
        }
        if ((head.equals("CREATE") || head.equals("DROP")) && databaseStatement(words)) {
            return describeOnly ? QueryResult.status("", QueryResult.DDL) : database(s, head, words);
        }
        long type = statementType(head, words);
        if (type != QueryResult.SELECT && s.database == null) {
            throw new SnowflakeError("090105", "22000", "Cannot perform " + head + ". This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
        }
        if (head.equals("INSERT") && second.equals("OVERWRITE") && !describeOnly) return insertOverwrite(s, sql, words);
        String duckSql = SqlTranslator.translate(sql, s);
        if (head.equals("CREATE")) duckSql = qualifiedTemporaryTable(s, words, duckSql);
        if (head.equals("CREATE") && second.equals("OR") && words.size() > 3 && words.get(3).is("SCHEMA")) {
            duckSql = duckSql.replaceFirst("(?i)^\\s*CREATE\\s+OR\\s+REPLACE\\s+SCHEMA", "CREATE SCHEMA");
            dropSchemaFor(s, words.subList(4, words.size()));
        }
        if (type == QueryResult.DDL && !s.autocommit()) commitDdl(s); // Snowflake's DDL commits the open transaction
        try {
            if (describeOnly) return describeDuck(s, duckSql, bindings, type);
            QueryResult r = runDuck(s, duckSql, bindings, type);
            if (head.equals("CREATE")) properties.created(s, words);
            return r;
        } finally {
            if (type == QueryResult.DDL && !s.autocommit()) commitDdl(s);
        }
    }

    private static final java.util.regex.Pattern OVERWRITE = java.util.regex.Pattern.compile("(?is)^(\\s*INSERT\\s+)OVERWRITE\\s+");

    /**
     * {@code INSERT OVERWRITE INTO t ...}: DuckDB has no such statement, so the table's rows are deleted and the new
     * ones inserted in one transaction (the session's open one, else one of its own), as Snowflake's single statement.
     */
    private QueryResult insertOverwrite(SandboxSession s, String sql, List<Token> w) throws SQLException {
        if (w.size() < 4 || !w.get(2).is("INTO")) throw SnowflakeError.syntax("INSERT OVERWRITE needs INTO table");
        List<String> full = StageCommands.qualify(s, Names.dotted(w, 3));
        String insert = SqlTranslator.translate(OVERWRITE.matcher(sql).replaceFirst("$1"), s);
        boolean own = s.duck.getAutoCommit();
        if (own) s.duck.setAutoCommit(false);
        try (Statement st = s.duck.createStatement()) {
            st.execute("DELETE FROM " + Names.quote(full.get(0)) + "." + Names.quote(full.get(1)) + "." + Names.quote(full.get(2)));
            QueryResult r = answer(st.execute(insert) ? st.getResultSet() : null, st.getUpdateCount(), QueryResult.INSERT);
            if (own) s.duck.commit();
            return r;
        } catch (SQLException | RuntimeException e) {
            if (own) s.duck.rollback();
            throw e;
        } finally {
            if (own) s.duck.setAutoCommit(true);
        }
    }

    private static final java.util.regex.Pattern TEMPORARY_TABLE =
            java.util.regex.Pattern.compile("(?is)^(\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?)(?:LOCAL\\s+|GLOBAL\\s+)?TEMP(?:ORARY)?\\s+(TABLE|VIEW)");

    /**
     * A TEMPORARY table or view named with its schema (DuckDB keeps temporary objects in its own catalog only): an
     * ordinary one there, dropped when the session closes. Unlike Snowflake's, other sessions can see it while it lives.
     */
    private static String qualifiedTemporaryTable(SandboxSession s, List<Token> w, String duckSql) {
        int i = 1;
        if (w.size() > 2 && w.get(1).is("OR") && w.get(2).is("REPLACE")) i = 3;
        if (w.size() > i && (w.get(i).is("LOCAL") || w.get(i).is("GLOBAL"))) i++;
        if (w.size() <= i + 2 || !(w.get(i).is("TEMPORARY") || w.get(i).is("TEMP")) || !(w.get(i + 1).is("TABLE") || w.get(i + 1).is("VIEW"))) return duckSql;
        String kind = w.get(i + 1).is("VIEW") ? "VIEW" : "TABLE";
        int at = i + 2;
        if (w.size() > at + 2 && w.get(at).is("IF")) at += 3;
        List<String> name = Names.dotted(w, at);
        if (name.size() < 2) return duckSql;
        java.util.regex.Matcher m = TEMPORARY_TABLE.matcher(duckSql);
        if (!m.find()) return duckSql;
        List<String> full = StageCommands.qualify(s, name);
        String quoted = Names.quote(full.get(0)) + "." + Names.quote(full.get(1)) + "." + Names.quote(full.get(2));
        s.onClose(() -> {
            try (Statement st = s.duck.createStatement()) {
                st.execute("DROP " + kind + " IF EXISTS " + quoted);
            } catch (SQLException e) {
                // the session's database connection is going away; a leftover table is visible, not wrong
            }
        });
        return m.replaceFirst("$1$2");
    }

    private static boolean databaseStatement(List<Token> w) {
        int i = 1;
        if (w.size() > 2 && w.get(1).is("OR") && w.get(2).is("REPLACE")) i = 3;
        if (w.size() > i && w.get(i).is("TRANSIENT")) i++;
        return w.size() > i && w.get(i).is("DATABASE");
    }

    private static long statementType(String head, List<Token> words) {
        return switch (head) {
            case "INSERT" -> QueryResult.INSERT;
            case "UPDATE" -> QueryResult.UPDATE;
            case "DELETE" -> QueryResult.DELETE;
            case "MERGE" -> QueryResult.MERGE;
            case "CREATE", "DROP", "ALTER", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "UNDROP" -> QueryResult.DDL;
            default -> QueryResult.SELECT;
        };
    }

    private QueryResult runDuck(SandboxSession s, String duckSql, JsonNode bindings, long type) throws SQLException {
        int rowsBound = bindingRows(bindings);
        if (rowsBound <= 1 && (bindings == null || bindings.isEmpty())) {
            try (Statement st = s.duck.createStatement()) {
                return answer(st.execute(duckSql) ? st.getResultSet() : null, st.getUpdateCount(), type);
            }
        }
        try (PreparedStatement ps = s.duck.prepareStatement(duckSql)) {
            if (rowsBound > 1 || bindings.elements().next().path("value").isArray()) {
                long total = 0;
                for (int r = 0; r < rowsBound; r++) {
                    bind(ps, bindings, r);
                    ps.addBatch();
                }
                for (int c : ps.executeBatch()) total += Math.max(c, 0);
                return answer(null, total, type);
            }
            bind(ps, bindings, -1);
            return answer(ps.execute() ? ps.getResultSet() : null, ps.getUpdateCount(), type);
        }
    }

    /** Prepares without running: the rowtype of a query, a status column for the rest (the driver's describe call). */
    private QueryResult describeDuck(SandboxSession s, String duckSql, JsonNode bindings, long type) throws SQLException {
        if (type != QueryResult.SELECT) return dmlOrStatus(0, type);
        try (PreparedStatement ps = s.duck.prepareStatement(duckSql)) {
            java.sql.ResultSetMetaData md = ps.getMetaData();
            if (md == null) return QueryResult.status("", type);
            return new QueryResult(ResultEncoder.rowtype(md), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode(), type);
        }
    }

    private static QueryResult answer(ResultSet rs, long updateCount, long type) throws SQLException {
        if (rs != null && type == QueryResult.SELECT) {
            try (rs) {
                var rowtype = ResultEncoder.rowtype(rs.getMetaData());
                List<ResultEncoder.ColumnType> types = new ArrayList<>();
                for (JsonNode c : rowtype) {
                    types.add(new ResultEncoder.ColumnType(c.get("type").asText(), c.get("precision").isNull() ? null : c.get("precision").asInt(),
                            c.get("scale").isNull() ? null : c.get("scale").asInt(), c.get("length").isNull() ? null : c.get("length").asLong()));
                }
                return new QueryResult(rowtype, ResultEncoder.rowset(rs, types), type);
            }
        }
        long count = updateCount;
        if (rs != null) {
            // DuckDB answers DML with a one-row "Count" result
            try (rs) {
                count = rs.next() ? rs.getLong(1) : 0;
            }
        }
        return dmlOrStatus(Math.max(count, 0), type);
    }

    private static QueryResult dmlOrStatus(long count, long type) {
        if (type == QueryResult.INSERT) return QueryResult.dml("number of rows inserted", count, type);
        if (type == QueryResult.UPDATE) return QueryResult.dml("number of rows updated", count, type);
        if (type == QueryResult.DELETE) return QueryResult.dml("number of rows deleted", count, type);
        if (type == QueryResult.MERGE) return QueryResult.dml("number of rows merged", count, type);
        return QueryResult.status("Statement executed successfully.", type);
    }

    /** How many rows of values the driver bound: 1 for scalar bindings, the array length for a batch. */
    private static int bindingRows(JsonNode bindings) {
        if (bindings == null || bindings.isEmpty()) return 0;
        JsonNode v = bindings.elements().next().path("value");
        return v.isArray() ? v.size() : 1;
    }

    /** Binds the driver's values (strings typed FIXED, REAL, TEXT, BOOLEAN, DATE, TIME, TIMESTAMP_*, BINARY) by position. */
    private static void bind(PreparedStatement ps, JsonNode bindings, int row) throws SQLException {
        for (Iterator<Map.Entry<String, JsonNode>> it = bindings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int index = Integer.parseInt(e.getKey());
            JsonNode value = row < 0 ? e.getValue().path("value") : e.getValue().path("value").path(row);
            String type = e.getValue().path("type").asText("TEXT").toUpperCase(Locale.ROOT);
            if (value.isNull() || value.isMissingNode()) {
                ps.setObject(index, null);
                continue;
            }
            String v = value.asText();
            switch (type) {
                case "FIXED" -> {
                    BigDecimal d = new BigDecimal(v);
                    if (d.scale() <= 0 && d.toBigInteger().bitLength() < 63) ps.setLong(index, d.longValueExact()); else ps.setBigDecimal(index, d);
                }
                case "REAL" -> ps.setDouble(index, Double.parseDouble(v));
                case "BOOLEAN" -> ps.setBoolean(index, v.equalsIgnoreCase("true") || v.equals("1"));
                case "DATE" -> ps.setObject(index, LocalDate.ofEpochDay(Math.floorDiv(Long.parseLong(v), 86_400_000L)));
                case "TIME" -> ps.setObject(index, LocalTime.ofNanoOfDay(Long.parseLong(v)));
                case "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMP" -> {
                    String[] parts = v.trim().split("\\s+");
                    BigDecimal nanos = new BigDecimal(parts[0]);
                    long seconds = nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000_000L)).longValue();
                    long rest = nanos.subtract(BigDecimal.valueOf(seconds).multiply(BigDecimal.valueOf(1_000_000_000L))).longValue();
                    Instant instant = Instant.ofEpochSecond(seconds, rest);
                    if (type.equals("TIMESTAMP_NTZ")) ps.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
                    else ps.setObject(index, instant.atOffset(parts.length > 1 ? ZoneOffset.ofTotalSeconds((Integer.parseInt(parts[1]) - 1440) * 60) : ZoneOffset.UTC));
                }
                case "BINARY" -> ps.setBytes(index, HexFormat.of().parseHex(v));
                default -> ps.setString(index, v);
            }
        }
    }

    private QueryResult use(SandboxSession s, List<Token> w) throws SQLException {
        if (w.size() < 2) throw SnowflakeError.syntax("USE needs an object");
        String kind = w.get(1).kind() == Kind.WORD ? w.get(1).text().toUpperCase(Locale.ROOT) : "";
        List<String> name;
        switch (kind) {
            case "DATABASE", "SCHEMA", "WAREHOUSE", "ROLE" -> name = Names.dotted(w, 2);
            case "SECONDARY" -> {
                return QueryResult.status("Statement executed successfully.", QueryResult.USE);
            }
            default -> {
                name = Names.dotted(w, 1);
                kind = name.size() == 1 ? "DATABASE" : "SCHEMA";
            }
        }
        switch (kind) {
            case "DATABASE" -> useDatabase(s, name.get(0), "PUBLIC");
            case "SCHEMA" -> {
                String db = name.size() > 1 ? name.get(0) : s.database;
                if (db == null) throw new SnowflakeError("090105", "22000", "Cannot perform USE SCHEMA. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.");
                String schema = name.get(name.size() - 1);
                if (!databases.exists(db)) throw SnowflakeError.doesNotExist("Database", db);
                if (!databases.schemaExists(s.duck, db, schema)) throw SnowflakeError.doesNotExist("Schema", db + "." + schema);
                useDatabase(s, db, schema);
            }
            case "WAREHOUSE" -> s.warehouse = name.get(0);
            case "ROLE" -> s.role = name.get(0);
            default -> throw SnowflakeError.syntax("USE " + kind + " is not supported");
        }
        return QueryResult.status("Statement executed successfully.", QueryResult.USE);
    }

    /** Makes db current, with schema if it exists (PUBLIC by default, as Snowflake does), else no current schema. */
    void useDatabase(SandboxSession s, String db, String schema) throws SQLException {
        if (!databases.exists(db)) throw SnowflakeError.doesNotExist("Database", db);
        boolean hasSchema = schema != null && databases.schemaExists(s.duck, db, schema);
        try (Statement st = s.duck.createStatement()) {
            st.execute("USE " + Names.quote(db) + "." + Names.quote(hasSchema ? schema : "main"));
        }
        s.database = db;
        s.schema = hasSchema ? schema : null;
    }

    private QueryResult alterSession(SandboxSession s, List<Token> w) throws SQLException {
        if (w.size() < 4) throw SnowflakeError.syntax("ALTER SESSION needs SET or UNSET");
        boolean set = w.get(2).is("SET");
        if (!set && !w.get(2).is("UNSET")) throw SnowflakeError.syntax("ALTER SESSION needs SET or UNSET, got " + w.get(2).text());
        int i = 3;
        while (i < w.size()) {
            String name = w.get(i).text().toUpperCase(Locale.ROOT);
            i++;
            if (set) {
                if (i >= w.size() || !w.get(i).isSymbol("=")) throw SnowflakeError.syntax("ALTER SESSION SET " + name + " needs = value");
                Token v = w.get(i + 1);
                Object value = switch (v.kind()) {
                    case NUMBER -> v.text().contains(".") ? (Object) Double.parseDouble(v.text()) : (Object) Long.parseLong(v.text());
                    case WORD -> v.is("TRUE") ? (Object) Boolean.TRUE : v.is("FALSE") ? (Object) Boolean.FALSE : v.text();
                    default -> v.text();
                };
                s.setParameter(name, value);
                if (name.equals("TIMEZONE")) setTimeZone(s, String.valueOf(value));
                i += 2;
            } else if (SandboxSession.DEFAULT_PARAMETERS.containsKey(name)) {
                s.setParameter(name, SandboxSession.DEFAULT_PARAMETERS.get(name)); // UNSET goes back to the default, still shown
                if (name.equals("TIMEZONE")) setTimeZone(s, String.valueOf(SandboxSession.DEFAULT_PARAMETERS.get(name)));
            } else {
                s.parameters.remove(name);
            }
            if (i < w.size() && w.get(i).isSymbol(",")) i++;
        }
        return QueryResult.status("Statement executed successfully.", QueryResult.ALTER_SESSION);
    }

    static void setTimeZone(SandboxSession s, String zone) throws SQLException {
        try (Statement st = s.duck.createStatement()) {
            st.execute("SET TimeZone = '" + zone.replace("'", "''") + "'");
        }
    }

    private void begin(SandboxSession s) throws SQLException {
        if (!s.duck.getAutoCommit()) return; // already in a transaction (AUTOCOMMIT = FALSE): Snowflake ignores BEGIN
        s.duck.setAutoCommit(false);
        s.parameters.put("__EXPLICIT_TRANSACTION", true);
    }

    private static void commitDdl(SandboxSession s) throws SQLException {
        s.duck.commit();
        s.transactionEnded(true);
    }

    private void endTransaction(SandboxSession s, boolean commit) throws SQLException {
        if (s.duck.getAutoCommit()) return; // nothing open: Snowflake answers success
        if (commit) s.duck.commit(); else s.duck.rollback();
        s.transactionEnded(commit);
        if (s.parameters.remove("__EXPLICIT_TRANSACTION") != null) s.duck.setAutoCommit(true);
    }

    private QueryResult database(SandboxSession s, String head, List<Token> w) throws SQLException {
        int i = 1;
        boolean replace = false;
        if (w.get(1).is("OR")) {
            replace = true;
            i = 3;
        }
        if (w.get(i).is("TRANSIENT")) i++;
        i++; // DATABASE
        boolean ifClause = w.size() > i + 1 && w.get(i).is("IF");
        if (ifClause) i += head.equals("CREATE") ? 3 : 2;
        String name = Names.dotted(w, i).get(0);
        if (head.equals("CREATE")) {
            if (databases.exists(name)) {
                if (replace) databases.drop(name);
                else if (ifClause) return QueryResult.status(name + " already exists, statement succeeded.", QueryResult.DDL);
                else throw new SnowflakeError("002002", "42710", "SQL compilation error:\nObject '" + name + "' already exists.");
            }
            databases.create(name);
            useDatabase(s, name, "PUBLIC");
            return QueryResult.status("Database " + name + " successfully created.", QueryResult.DDL);
        }
        if (!databases.exists(name)) {
            if (ifClause) return QueryResult.status("Drop statement executed successfully (" + name + " already dropped).", QueryResult.DDL);
            throw SnowflakeError.doesNotExist("Database", name);
        }
        if (name.equals(s.database)) {
            try (Statement st = s.duck.createStatement()) {
                st.execute("USE memory.main");
            }
            s.database = null;
            s.schema = null;
        }
        databases.drop(name);
        return QueryResult.status(name + " successfully dropped.", QueryResult.DDL);
    }

    /** CREATE OR REPLACE SCHEMA: DuckDB has no such statement, so the old schema is dropped first. */
    private static void dropSchemaFor(SandboxSession s, List<Token> rest) throws SQLException {
        List<String> name = Names.dotted(rest, 0);
        String target = name.size() > 1 ? Names.quote(name.get(0)) + "." + Names.quote(name.get(1)) : Names.quote(name.get(0));
        try (Statement st = s.duck.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + target + " CASCADE");
        }
    }
}
