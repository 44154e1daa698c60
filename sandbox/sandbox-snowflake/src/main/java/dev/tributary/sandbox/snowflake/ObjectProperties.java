package dev.tributary.sandbox.snowflake;

import dev.tributary.sandbox.snowflake.SqlTokens.Token;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Snowflake keeps about a table or view that DuckDB has no place for, recorded when the statement runs and
 * answered by SHOW TABLES / VIEWS / OBJECTS: a table's kind ({@code TRANSIENT} or {@code TABLE}), a view's
 * {@code is_secure}, a table's clustering key ({@code cluster_by}, {@code LINEAR(a, b)}) and whether automatic
 * clustering is on (Snowflake turns it on with the key; {@code SUSPEND RECLUSTER} / {@code RESUME RECLUSTER} switch
 * it). Clustering itself changes nothing here: DuckDB's rows are neither micro-partitioned nor reclustered.
 */
final class ObjectProperties {
    record Properties(String kind, boolean secure, String clusterBy, boolean automaticClustering) {
        Properties withClustering(String keys, boolean automatic) {
            return new Properties(kind, secure, keys, automatic);
        }
    }

    private static final Properties PLAIN_TABLE = new Properties("TABLE", false, null, false);
    private static final Pattern CLUSTER_BY = Pattern.compile("(?is)\\bCLUSTER\\s+BY\\s*\\((.*)\\)\\s*;?\\s*$");

    private final Map<String, Properties> byName = new ConcurrentHashMap<>();

    /** The recorded properties of db.schema.name; a table created some other way is a plain TABLE. */
    Properties of(String db, String schema, String name) {
        return byName.getOrDefault(key(List.of(db, schema, name)), PLAIN_TABLE);
    }

    /**
     * Records a CREATE [OR REPLACE] [SECURE] [TRANSIENT | TEMPORARY] TABLE | VIEW that ran: a replaced object starts
     * again without a clustering key, as in Snowflake. Other statements are left alone.
     */
    void created(SandboxSession s, List<Token> w) {
        int i = 1;
        if (w.size() > 2 && w.get(1).is("OR") && w.get(2).is("REPLACE")) i = 3;
        boolean secure = false;
        String kind = "TABLE";
        while (i < w.size() && (w.get(i).is("SECURE") || w.get(i).is("TRANSIENT") || w.get(i).is("TEMPORARY") || w.get(i).is("TEMP")
                || w.get(i).is("LOCAL") || w.get(i).is("GLOBAL"))) {
            if (w.get(i).is("SECURE")) secure = true;
            else if (w.get(i).is("TRANSIENT")) kind = "TRANSIENT";
            else if (!w.get(i).is("LOCAL") && !w.get(i).is("GLOBAL")) kind = "TEMPORARY";
            i++;
        }
        if (i >= w.size() || !(w.get(i).is("TABLE") || w.get(i).is("VIEW"))) return;
        boolean view = w.get(i).is("VIEW");
        i++;
        if (w.size() > i + 2 && w.get(i).is("IF")) i += 3;
        if (i >= w.size()) return;
        byName.put(key(StageCommands.qualify(s, Names.dotted(w, i))), new Properties(view ? "VIEW" : kind, secure, null, false));
    }

    /**
     * Answers {@code ALTER TABLE [IF EXISTS] name CLUSTER BY (...) | DROP CLUSTERING KEY | SUSPEND RECLUSTER | RESUME
     * RECLUSTER}, or returns null for any other ALTER (run on DuckDB).
     */
    QueryResult alterClustering(SandboxSession s, String sql, List<Token> w) throws SQLException {
        if (w.size() < 4 || !w.get(1).is("TABLE")) return null;
        int at = 2;
        boolean ifExists = w.size() > 4 && w.get(2).is("IF") && w.get(3).is("EXISTS");
        if (ifExists) at = 4;
        List<String> full = StageCommands.qualify(s, Names.dotted(w, at));
        int rest = at + Names.length(w, at);
        if (rest + 1 >= w.size()) return null;
        String action = w.get(rest).text().toUpperCase(Locale.ROOT) + " " + w.get(rest + 1).text().toUpperCase(Locale.ROOT);
        if (!List.of("CLUSTER BY", "DROP CLUSTERING", "SUSPEND RECLUSTER", "RESUME RECLUSTER").contains(action)) return null;
        if (!StageCommands.tableExists(s, full)) {
            if (ifExists) return QueryResult.status("Statement executed successfully.", QueryResult.DDL);
            throw SnowflakeError.doesNotExist("Table", String.join(".", full));
        }
        String key = key(full);
        Properties p = byName.getOrDefault(key, PLAIN_TABLE);
        switch (action) {
            case "CLUSTER BY" -> {
                Matcher m = CLUSTER_BY.matcher(sql);
                if (!m.find() || m.group(1).isBlank()) throw SnowflakeError.syntax("CLUSTER BY needs (expressions)");
                p = p.withClustering("LINEAR(" + m.group(1).trim() + ")", true);
            }
            case "DROP CLUSTERING" -> p = p.withClustering(null, false);
            default -> {
                if (p.clusterBy() == null) throw new SnowflakeError("000002", "0A000", "SQL compilation error:\nTable '" + String.join(".", full) + "' has no clustering key: "
                        + action.toLowerCase(Locale.ROOT) + " needs one.");
                p = p.withClustering(p.clusterBy(), action.startsWith("RESUME"));
            }
        }
        byName.put(key, p);
        return QueryResult.status("Statement executed successfully.", QueryResult.DDL);
    }

    private static String key(List<String> full) {
        return String.join("\u0000", full);
    }
}
