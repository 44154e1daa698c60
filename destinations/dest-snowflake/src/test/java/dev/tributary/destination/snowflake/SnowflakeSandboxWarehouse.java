package dev.tributary.destination.snowflake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import dev.tributary.destination.warehouse.RejectsTable;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The Snowflake sandbox, started once per JVM on a random port; each test gets its own schema prefix. */
final class SnowflakeSandboxWarehouse {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static SnowflakeSandbox sandbox;

    private SnowflakeSandboxWarehouse() {}

    static synchronized SnowflakeSandbox sandbox() {
        if (sandbox == null) sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("RAW")));
        return sandbox;
    }

    /** A destination config for the sandbox with a schema prefix no other test uses. */
    static Config config() {
        SnowflakeSandbox s = sandbox();
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("account", s.options().account());
        n.put("user", s.connectionProperties().getProperty("user"));
        n.put("password", s.connectionProperties().getProperty("password"));
        n.put("host", "127.0.0.1");
        n.put("port", s.port());
        n.put("protocol", "http");
        n.put("database", "RAW");
        n.put("warehouse", "LOAD_WH");
        n.put("schema_prefix", "t" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet() + "_");
        return Config.of(n);
    }

    /** The rows of the rejects table of a stream's schema ({@code _TRIBUTARY_REJECTS}) that are the stream's. */
    static List<Map<String, Object>> rejects(SnowflakeSession session, ConfiguredStream stream) {
        List<String> table = session.tableName(stream);
        return rows(session, List.of(table.get(0), table.get(1), RejectsTable.NAME)).stream()
                .filter(r -> stream.id().toString().equals(r.get("stream")))
                .toList();
    }

    /** Every row of a table, keyed by lower-case column name. */
    static List<Map<String, Object>> rows(SnowflakeSession session, List<String> table) {
        try (Connection c = session.newConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + SnowflakeDialect.qualified(table.get(0), table.get(1), table.get(2)))) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnName(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            if (e.getErrorCode() == 2003) return List.of(); // no table yet
            throw new IllegalStateException(e);
        }
    }
}
