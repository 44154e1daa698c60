package dev.tributary.sandbox.snowflake;

import dev.tributary.sandbox.snowflake.SqlTokens.Kind;
import dev.tributary.sandbox.snowflake.SqlTokens.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the Snowflake SQL Tributary emits (and the common SQL of models) into DuckDB's. Unquoted identifiers are
 * upper-cased, as Snowflake resolves them; Snowflake's types, functions and clauses that DuckDB spells differently are
 * rewritten; the rest passes through. See the module README for the list.
 */
final class SqlTranslator {
    /** Snowflake type names DuckDB does not know (only where not followed by '(' , except NUMBER). */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("VARIANT", "JSON"), Map.entry("OBJECT", "JSON"),
            Map.entry("TIMESTAMP_NTZ", "TIMESTAMP"), Map.entry("DATETIME", "TIMESTAMP"),
            Map.entry("TIMESTAMP_TZ", "TIMESTAMPTZ"), Map.entry("TIMESTAMP_LTZ", "TIMESTAMPTZ"),
            Map.entry("STRING", "VARCHAR"), Map.entry("TEXT", "VARCHAR"), Map.entry("NUMBER", "DECIMAL"),
            Map.entry("BYTEINT", "BIGINT"), Map.entry("FLOAT4", "DOUBLE"), Map.entry("FLOAT8", "DOUBLE"), Map.entry("FLOAT", "DOUBLE"));

    /** Snowflake functions implemented as DuckDB macros ({@link #MACROS}) or renamed to DuckDB's equivalent. */
    private static final Map<String, String> FUNCTIONS = Map.ofEntries(
            Map.entry("TIMESTAMPADD", "DATEADD"), Map.entry("TIMESTAMPDIFF", "DATEDIFF"), Map.entry("TO_TIMESTAMP", "TO_TIMESTAMP_NTZ"),
            Map.entry("TO_TIMESTAMP_LTZ", "TO_TIMESTAMP_TZ"), Map.entry("REGEXP_LIKE", "REGEXP_FULL_MATCH"), Map.entry("RLIKE", "REGEXP_FULL_MATCH"),
            Map.entry("OBJECT_CONSTRUCT", "JSON_OBJECT"), Map.entry("ARRAY_CONSTRUCT", "JSON_ARRAY"), Map.entry("ARRAY_SIZE", "JSON_ARRAY_LENGTH"),
            Map.entry("CHARINDEX", "SF_CHARINDEX"), Map.entry("TO_CHAR", "TO_VARCHAR"), Map.entry("TO_DECIMAL", "TO_NUMBER"),
            Map.entry("TO_NUMERIC", "TO_NUMBER"), Map.entry("GETDATE", "SYSDATE"));

    /** Snowflake functions without a DuckDB twin, created as temporary macros on each session's connection. */
    static final List<String> MACROS = List.of(
            "create or replace temp macro IFF(c, a, b) as case when c then a else b end",
            "create or replace temp macro NVL(a, b) as coalesce(a, b)",
            "create or replace temp macro NVL2(a, b, c) as case when a is not null then b else c end",
            "create or replace temp macro ZEROIFNULL(a) as coalesce(a, 0)",
            "create or replace temp macro NULLIFZERO(a) as nullif(a, 0)",
            "create or replace temp macro DIV0(a, b) as case when b = 0 then 0 else a / b end",
            "create or replace temp macro EQUAL_NULL(a, b) as a is not distinct from b",
            "create or replace temp macro PARSE_JSON(s) as json(s)",
            "create or replace temp macro TRY_PARSE_JSON(s) as case when json_valid(s) then json(s) end",
            "create or replace temp macro TO_VARIANT(x) as to_json(x)",
            "create or replace temp macro TO_VARCHAR(x) as cast(x as varchar)",
            "create or replace temp macro TO_NUMBER(x) as cast(x as decimal(38, 0))",
            "create or replace temp macro TRY_TO_NUMBER(x) as try_cast(x as decimal(38, 0))",
            "create or replace temp macro TO_DOUBLE(x) as cast(x as double)",
            "create or replace temp macro TRY_TO_DOUBLE(x) as try_cast(x as double)",
            "create or replace temp macro TO_BOOLEAN(x) as cast(x as boolean)",
            "create or replace temp macro TO_DATE(x) as cast(x as date)",
            "create or replace temp macro TRY_TO_DATE(x) as try_cast(x as date)",
            "create or replace temp macro TO_TIMESTAMP_NTZ(x) as cast(x as timestamp)",
            "create or replace temp macro TRY_TO_TIMESTAMP(x) as try_cast(x as timestamp)",
            "create or replace temp macro TO_TIMESTAMP_TZ(x) as cast(x as timestamptz)",
            "create or replace temp macro SYSDATE() as cast(now() at time zone 'UTC' as timestamp)",
            "create or replace temp macro DATEADD(p, n, d) as d + cast(n || ' ' || p as interval)",
            "create or replace temp macro SF_CHARINDEX(needle, haystack) as strpos(haystack, needle)",
            "create or replace temp macro UUID_STRING() as cast(gen_random_uuid() as varchar)",
            "create or replace temp macro BOOLAND_AGG(x) as bool_and(x)",
            "create or replace temp macro BOOLOR_AGG(x) as bool_or(x)",
            "create or replace temp macro SF_TYPE_NAME(t) as case"
                    + " when t in ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT', 'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT') then 'NUMBER'"
                    + " when t like 'DECIMAL%' then 'NUMBER' when t in ('DOUBLE', 'FLOAT', 'REAL') then 'FLOAT'"
                    + " when t = 'VARCHAR' then 'TEXT' when t = 'TIMESTAMP' then 'TIMESTAMP_NTZ' when t = 'TIMESTAMP WITH TIME ZONE' then 'TIMESTAMP_TZ'"
                    + " when t = 'JSON' then 'VARIANT' when t = 'BLOB' then 'BINARY' else t end");

    /** Functions whose first argument is a date part written as a bare word (day, month) that DuckDB wants as a string. */
    private static final Set<String> DATE_PART_FUNCTIONS = Set.of("DATEADD", "DATEDIFF", "TIMESTAMPADD", "TIMESTAMPDIFF", "DATE_TRUNC", "DATE_PART");

    /** What the session answers for CURRENT_WAREHOUSE() and the like, which DuckDB does not have. */
    interface SessionContext {
        String warehouse();

        String role();

        String user();

        String account();

        long sessionId();
    }

    private SqlTranslator() {}

    static String translate(String snowflakeSql, SessionContext session) {
        List<Token> t = new ArrayList<>(SqlTokens.tokenize(snowflakeSql));
        StringBuilder out = new StringBuilder(snowflakeSql.length() + 16);
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            int infoEnd = informationSchema(t, i, out);
            if (infoEnd >= 0) {
                i = infoEnd;
                continue;
            }
            switch (tok.kind()) {
                case SPACE, NUMBER -> out.append(tok.text());
                case SYMBOL -> out.append(tok.text());
                case STRING -> out.append('\'').append(tok.text().replace("'", "''")).append('\'');
                case QUOTED -> out.append('"').append(tok.text().replace("\"", "\"\"")).append('"');
                case WORD -> i = word(t, i, out, session);
            }
        }
        return out.toString();
    }

    /** Writes the word at i (and what it rewrites after it); returns the index of the last token consumed. */
    private static int word(List<Token> t, int i, StringBuilder out, SessionContext session) {
        String w = t.get(i).text().toUpperCase(Locale.ROOT);
        int next = nextSignificant(t, i);
        boolean call = next < t.size() && t.get(next).isSymbol("(");
        boolean afterDot = previousSignificant(t, i) >= 0 && t.get(previousSignificant(t, i)).isSymbol(".");
        if (afterDot) {
            appendIdentifier(out, w);
            return i;
        }
        if ((w.equals("TRANSIENT") || w.equals("SECURE")) && previousWord(t, i, "CREATE", "REPLACE")) return skipSpace(t, i);
        if (w.equals("COPY") && next < t.size() && t.get(next).is("GRANTS")) return skipSpace(t, next); // grants are not simulated
        if (call && w.equals("NUMBER") && isTypePosition(t, i)) {
            out.append("DECIMAL");
            return i;
        }
        if (call && w.equals("FILTER")) {
            int where = nextSignificant(t, next);
            if (where < t.size() && t.get(where).is("WHERE")) {
                throw SnowflakeError.syntax("syntax error: unexpected 'WHERE'. Snowflake has no aggregate FILTER (WHERE ...) clause (write COUNT_IF(..), SUM(IFF(..)) or a CASE)");
            }
        }
        if (call) {
            switch (w) {
                case "CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "CURRENT_DATE", "CURRENT_TIME" -> {
                    int close = nextSignificant(t, next);
                    if (close < t.size() && t.get(close).isSymbol(")")) {
                        out.append(w.equals("CURRENT_TIMESTAMP") ? "CURRENT_TIMESTAMP" : w);
                        return close;
                    }
                }
                case "CURRENT_WAREHOUSE", "CURRENT_ROLE", "CURRENT_USER", "CURRENT_ACCOUNT", "CURRENT_SESSION", "CURRENT_REGION", "CURRENT_VERSION" -> {
                    int close = nextSignificant(t, next);
                    if (close < t.size() && t.get(close).isSymbol(")")) {
                        String v = switch (w) {
                            case "CURRENT_WAREHOUSE" -> session.warehouse();
                            case "CURRENT_ROLE" -> session.role();
                            case "CURRENT_USER" -> session.user();
                            case "CURRENT_ACCOUNT" -> session.account();
                            case "CURRENT_SESSION" -> String.valueOf(session.sessionId());
                            case "CURRENT_REGION" -> "SANDBOX";
                            default -> SnowflakeSandbox.SERVER_VERSION;
                        };
                        out.append(v == null ? "NULL" : "'" + v.replace("'", "''") + "'");
                        return close;
                    }
                }
                case "LISTAGG" -> {
                    return listagg(t, i, next, out, session);
                }
                case "REGEXP_REPLACE" -> {
                    return regexpReplace(t, next, out, session);
                }
                default -> { }
            }
            String renamed = FUNCTIONS.getOrDefault(w, w);
            out.append(renamed);
            if (DATE_PART_FUNCTIONS.contains(w)) {
                int part = nextSignificant(t, next);
                if (part < t.size() && t.get(part).kind() == Kind.WORD) {
                    out.append("('").append(datePart(t.get(part).text())).append("'");
                    return part;
                }
            }
            return i;
        }
        if (TYPES.containsKey(w) && isTypePosition(t, i)) {
            String type = TYPES.get(w);
            if (w.equals("NUMBER") && !(next < t.size() && t.get(next).isSymbol("("))) type = "DECIMAL(38, 0)";
            out.append(type);
            return i;
        }
        if (w.equals("TO") && previousWord(t, i, "RENAME")) {
            // Snowflake's rename target may name database and schema; DuckDB takes the bare name (same schema)
            out.append("TO ");
            int j = nextSignificant(t, i);
            int last = j;
            while (j < t.size()) {
                int dot = nextSignificant(t, j);
                if (dot < t.size() && t.get(dot).isSymbol(".")) {
                    j = nextSignificant(t, dot);
                    last = j;
                } else break;
            }
            Token name = t.get(last);
            if (name.kind() == Kind.QUOTED) out.append('"').append(name.text().replace("\"", "\"\"")).append('"');
            else appendIdentifier(out, name.text().toUpperCase(Locale.ROOT));
            return last;
        }
        appendIdentifier(out, w);
        return i;
    }

    /**
     * {@code [db.]information_schema.tables|columns|schemata|views} as a subquery over DuckDB's, narrowed to that
     * database (DuckDB's spans every attached one), with Snowflake's type names in {@code columns.data_type}.
     * Returns the last token consumed, or -1 when the tokens at i are not such a name.
     */
    private static int informationSchema(List<Token> t, int i, StringBuilder out) {
        String db = null;
        int at = i;
        Token first = t.get(i);
        if (first.kind() != Kind.WORD && first.kind() != Kind.QUOTED) return -1;
        if (i > 0 && t.get(i - 1).isSymbol(".")) return -1;
        if (!first.is("INFORMATION_SCHEMA")) {
            if (i + 2 >= t.size() || !t.get(i + 1).isSymbol(".") || !t.get(i + 2).is("INFORMATION_SCHEMA")) return -1;
            db = first.kind() == Kind.QUOTED ? first.text() : first.text().toUpperCase(Locale.ROOT);
            at = i + 2;
        }
        if (at + 2 >= t.size() || !t.get(at + 1).isSymbol(".") || t.get(at + 2).kind() != Kind.WORD) return -1;
        String view = t.get(at + 2).text().toUpperCase(Locale.ROOT);
        String catalog = db == null ? "current_database()" : "'" + db.replace("'", "''") + "'";
        String sql = switch (view) {
            case "TABLES", "VIEWS" -> "(SELECT * FROM INFORMATION_SCHEMA." + view + " WHERE TABLE_CATALOG = " + catalog + ")";
            case "COLUMNS" -> "(SELECT * REPLACE (SF_TYPE_NAME(DATA_TYPE) AS DATA_TYPE) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_CATALOG = " + catalog + ")";
            case "SCHEMATA" -> "(SELECT * FROM INFORMATION_SCHEMA.SCHEMATA WHERE CATALOG_NAME = " + catalog + " AND SCHEMA_NAME <> 'main')";
            default -> throw new SnowflakeError("002003", "02000", "SQL compilation error:\nthe Snowflake sandbox does not have INFORMATION_SCHEMA." + view + " (it has TABLES, VIEWS, COLUMNS, SCHEMATA).");
        };
        out.append(sql);
        return at + 2;
    }

    /** Snowflake's date parts and their abbreviations as DuckDB's part names. */
    private static String datePart(String part) {
        String p = part.toLowerCase(Locale.ROOT);
        return switch (p) {
            case "y", "yy", "yyy", "yyyy", "yr", "years", "yrs" -> "year";
            case "mm", "mon", "mons", "months" -> "month";
            case "d", "dd", "days", "dayofmonth" -> "day";
            case "w", "wk", "weekofyear", "woy", "wy", "weeks" -> "week";
            case "q", "qtr", "qtrs", "quarters" -> "quarter";
            case "h", "hh", "hr", "hours", "hrs" -> "hour";
            case "m", "mi", "min", "minutes", "mins" -> "minute";
            case "s", "sec", "seconds", "secs" -> "second";
            case "ms", "msec", "milliseconds" -> "millisecond";
            case "us", "usec", "microseconds" -> "microsecond";
            default -> p;
        };
    }

    /**
     * {@code LISTAGG(x, sep) WITHIN GROUP (ORDER BY y)} as {@code STRING_AGG(x, sep ORDER BY y)}; without WITHIN GROUP,
     * {@code STRING_AGG(x, sep)}. A missing separator is '' as in Snowflake.
     */
    private static int listagg(List<Token> t, int i, int open, StringBuilder out, SessionContext session) {
        int close = matching(t, open);
        String args = translate(join(t, open + 1, close), session);
        boolean hasSeparator = topLevelComma(t, open + 1, close);
        int within = nextSignificant(t, close);
        String order = "";
        int end = close;
        if (within < t.size() && t.get(within).is("WITHIN")) {
            int group = nextSignificant(t, within);
            int gOpen = nextSignificant(t, group);
            if (!t.get(group).is("GROUP") || gOpen >= t.size() || !t.get(gOpen).isSymbol("(")) throw SnowflakeError.syntax("LISTAGG ... WITHIN must be followed by GROUP (ORDER BY ...)");
            int gClose = matching(t, gOpen);
            order = " " + translate(join(t, gOpen + 1, gClose), session).trim();
            end = gClose;
        }
        out.append("STRING_AGG(").append(args).append(hasSeparator ? "" : ", ''").append(order).append(")");
        return end;
    }

    /**
     * Snowflake's {@code REGEXP_REPLACE(subject, pattern [, replacement [, position [, occurrence [, parameters]]]])}
     * replaces every match by default (occurrence 0), DuckDB's only the first without the {@code 'g'} option: written
     * as DuckDB's with {@code 'g'}, or without it for occurrence 1; position must be 1 (other positions and
     * occurrences answer 000002), and a position that is not a number is Snowflake's conversion error.
     */
    private static int regexpReplace(List<Token> t, int open, StringBuilder out, SessionContext session) {
        int close = matching(t, open);
        List<int[]> args = topLevelArgs(t, open + 1, close);
        if (args.size() < 2 || args.size() > 6) throw SnowflakeError.syntax("REGEXP_REPLACE takes 2 to 6 arguments, got " + args.size());
        List<String> text = new ArrayList<>();
        for (int[] a : args) text.add(translate(join(t, a[0], a[1]), session).trim());
        String options = "g";
        if (args.size() >= 4 && !text.get(3).equals("1")) {
            if (!text.get(3).matches("\\d+")) throw new SnowflakeError("100038", "22018", "Numeric value " + text.get(3) + " is not recognized");
            throw new SnowflakeError("000002", "0A000", "Unsupported feature: REGEXP_REPLACE from position " + text.get(3) + " in the Snowflake sandbox (see sandbox-snowflake/README.md).");
        }
        if (args.size() >= 5) {
            if (text.get(4).equals("1")) options = "";
            else if (!text.get(4).equals("0")) throw new SnowflakeError("000002", "0A000", "Unsupported feature: REGEXP_REPLACE of occurrence " + text.get(4) + " in the Snowflake sandbox (see sandbox-snowflake/README.md).");
        }
        if (args.size() == 6) {
            String p = text.get(5).replace("'", "");
            if (!p.matches("[ci]*")) throw new SnowflakeError("000002", "0A000", "Unsupported feature: REGEXP_REPLACE parameters " + text.get(5) + " in the Snowflake sandbox (c and i only).");
            if (p.lastIndexOf('i') > p.lastIndexOf('c')) options += "i";
        }
        out.append("REGEXP_REPLACE(").append(text.get(0)).append(", ").append(text.get(1)).append(", ").append(args.size() >= 3 ? text.get(2) : "''")
                .append(options.isEmpty() ? "" : ", '" + options + "'").append(")");
        return close;
    }

    /** The [from, to) token ranges of the comma-separated arguments between from and to. */
    private static List<int[]> topLevelArgs(List<Token> t, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            if (t.get(i).isSymbol("(")) depth++;
            else if (t.get(i).isSymbol(")")) depth--;
            else if (depth == 0 && t.get(i).isSymbol(",")) {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (to > from) out.add(new int[] {start, to});
        return out;
    }

    private static boolean topLevelComma(List<Token> t, int from, int to) {
        int depth = 0;
        for (int i = from; i < to; i++) {
            if (t.get(i).isSymbol("(")) depth++;
            else if (t.get(i).isSymbol(")")) depth--;
            else if (depth == 0 && t.get(i).isSymbol(",")) return true;
        }
        return false;
    }

    private static int matching(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            if (t.get(i).isSymbol("(")) depth++;
            else if (t.get(i).isSymbol(")") && --depth == 0) return i;
        }
        throw SnowflakeError.syntax("unbalanced parentheses");
    }

    /** The original text of tokens [from, to), re-quoted, for translating a part on its own. */
    private static String join(List<Token> t, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token x = t.get(i);
            switch (x.kind()) {
                case STRING -> b.append('\'').append(x.text().replace("\\", "\\\\").replace("'", "''")).append('\'');
                case QUOTED -> b.append('"').append(x.text().replace("\"", "\"\"")).append('"');
                default -> b.append(x.text());
            }
        }
        return b.toString();
    }

    /**
     * Whether the word at i is a type: after '::', after AS closing a CAST ({@code as number)}), or after a column name
     * in DDL ({@code (id number, name text} / {@code add column x variant}); elsewhere TEXT or NUMBER is a column name.
     */
    private static boolean isTypePosition(List<Token> t, int i) {
        int prev = previousSignificant(t, i);
        if (prev < 0) return false;
        Token p = t.get(prev);
        if (p.isSymbol("::")) return true;
        int next = nextSignificant(t, i);
        if (p.is("AS")) return next < t.size() && (t.get(next).isSymbol(")") || t.get(next).isSymbol("("));
        if (p.kind() != Kind.WORD && p.kind() != Kind.QUOTED) return false;
        int before = previousSignificant(t, prev);
        return before >= 0 && (t.get(before).isSymbol("(") || t.get(before).isSymbol(",") || t.get(before).is("COLUMN"));
    }

    private static void appendIdentifier(StringBuilder out, String upper) {
        if (upper.indexOf('$') >= 0) out.append('"').append(upper).append('"');
        else out.append(upper);
    }

    private static boolean previousWord(List<Token> t, int i, String... words) {
        int p = previousSignificant(t, i);
        if (p < 0) return false;
        for (String w : words) if (t.get(p).is(w)) return true;
        return false;
    }

    private static int skipSpace(List<Token> t, int i) {
        return i + 1 < t.size() && t.get(i + 1).kind() == Kind.SPACE ? i + 1 : i;
    }

    private static int nextSignificant(List<Token> t, int i) {
        int j = i + 1;
        while (j < t.size() && t.get(j).kind() == Kind.SPACE) j++;
        return j;
    }

    private static int previousSignificant(List<Token> t, int i) {
        int j = i - 1;
        while (j >= 0 && t.get(j).kind() == Kind.SPACE) j--;
        return j;
    }
}
