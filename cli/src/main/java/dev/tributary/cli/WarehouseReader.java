package dev.tributary.cli;

import dev.tributary.spi.DuckDbFileOpener;
import dev.tributary.transform.WarehouseTarget;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads a warehouse for {@code show} and {@code rejects}: a read-only connection (a DuckDB file is opened read-only
 * and never created), the tables it holds, and result sets printed as aligned tables.
 */
final class WarehouseReader implements AutoCloseable {
    /** A table as the warehouse names it. */
    record TableRef(String catalog, String schema, String table) {
        String display() {
            return schema + "." + table;
        }
    }

    private final WarehouseTarget target;
    private final Connection connection;

    private WarehouseReader(WarehouseTarget target, Connection connection) {
        this.target = target;
        this.connection = connection;
    }

    /** Opens {@code target} read-only; empty when it is a DuckDB file that does not exist yet (nothing synced or built). */
    static Optional<WarehouseReader> open(WarehouseTarget target) throws SQLException {
        Properties p = new Properties();
        if (target.type().equals("duckdb")) {
            String file = target.jdbcUrl().substring("jdbc:duckdb:".length());
            int query = file.indexOf('?');
            if (query >= 0) file = file.substring(0, query);
            if (!file.isEmpty() && !file.startsWith(":memory:") && !Files.exists(Path.of(file))) return Optional.empty();
            p.setProperty("duckdb.read_only", "true");
            return Optional.of(new WarehouseReader(target, DuckDbFileOpener.open(target.jdbcUrl(), p)));
        }
        if (target.user() != null) p.setProperty("user", target.user());
        if (target.password() != null) p.setProperty("password", target.password());
        Connection c = DriverManager.getConnection(target.jdbcUrl(), p);
        try {
            // read-only is enforced by PostgreSQL only inside a transaction (BEGIN READ ONLY); closing rolls it back
            c.setAutoCommit(false);
            c.setReadOnly(true);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return Optional.of(new WarehouseReader(target, c));
    }

    /** After a failed statement: a PostgreSQL transaction is aborted until rolled back; start a fresh one. */
    void recover() throws SQLException {
        if (!connection.getAutoCommit()) connection.rollback();
    }

    Connection connection() {
        return connection;
    }

    WarehouseTarget target() {
        return target;
    }

    /** Every table and view of the database (DuckDB: of this file), but the system's own. */
    List<TableRef> tables() throws SQLException {
        String sql = "select table_catalog, table_schema, table_name from information_schema.tables where table_schema not in ('information_schema', 'pg_catalog')"
                + (target.type().equals("duckdb") ? " and table_catalog = current_database()" : " and table_schema not like 'pg\\_%'")
                + " order by table_schema, table_name";
        List<TableRef> out = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) out.add(new TableRef(rs.getString(1), rs.getString(2), rs.getString(3)));
        }
        return out;
    }

    /** {@code schema.table} quoted for this warehouse's SQL. */
    static String relation(WarehouseTarget target, TableRef t) {
        // DuckDB reads "a"."b" as catalog.table when a schema has the database's name: qualify with the catalog too
        String relation = target.dialect().relation(t.schema(), t.table());
        return target.type().equals("duckdb") ? "\"" + t.catalog().replace("\"", "\"\"") + "\"." + relation : relation;
    }

    /** How identifiers are normalised when tables are created: lower case, {@code _} for anything but letters and digits. */
    static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "_");
    }

    /** Prints the rows of {@code rs} as an aligned table, numbers right-aligned. */
    static void print(ResultSet rs, PrintWriter out, int maxWidth) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String> headers = new ArrayList<>();
        boolean[] numeric = new boolean[n];
        for (int i = 1; i <= n; i++) {
            headers.add(meta.getColumnLabel(i));
            numeric[i - 1] = switch (meta.getColumnType(i)) {
                case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.DECIMAL, Types.NUMERIC, Types.DOUBLE, Types.FLOAT, Types.REAL -> true;
                default -> false;
            };
        }
        Table table = new Table(headers, numeric);
        while (rs.next()) {
            Object[] cells = new Object[n];
            for (int i = 1; i <= n; i++) {
                Object v = rs.getObject(i);
                if (v instanceof BigDecimal d) v = d.stripTrailingZeros().toPlainString();
                if (maxWidth > 0 && v instanceof String s) v = shorten(s, maxWidth);
                cells[i - 1] = v;
            }
            table.row(cells);
        }
        table.print(out, "  ");
    }

    /** What the database said was wrong, in one line: DuckDB's wrapper line left out, the reason and its hint kept. */
    static String problem(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return String.join("; ", message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .filter(l -> !l.contains("Attempting to execute an unsuccessful or closed pending query result"))
                .map(l -> l.startsWith("Error: ") ? l.substring("Error: ".length()) : l).limit(2).toList());
    }

    /** One line of at most {@code max} characters. */
    static String shorten(String s, int max) {
        String line = s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ");
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 3)) + "...";
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
