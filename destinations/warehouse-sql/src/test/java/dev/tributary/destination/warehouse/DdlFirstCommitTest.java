package dev.tributary.destination.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.testkit.DestinationWrites;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SqlDialect#ddlCommits}: where DDL would commit the open transaction (Snowflake), the writer runs every DDL of
 * a commit (schema, target table, rejects table) before the data transaction, so rows and state still commit
 * together; elsewhere the DDL stays inside that transaction. Seen on a real in-memory DuckDB through a connection
 * that records each statement with the autocommit it ran under.
 */
class DdlFirstCommitTest {
    private static final Schema SCHEMA = Schema.of(List.of(Field.of("id", DataType.INTEGER), Field.of("name", DataType.TEXT)));

    @Test
    void whereDdlCommitsEveryDdlRunsBeforeTheDataTransaction() throws SQLException {
        List<String> log = commitOnce(new DuckTestDialect("", false, true));
        assertThat(ddl(log)).isNotEmpty().allSatisfy(s -> assertThat(s).startsWith("autocommit "));
        assertThat(log).anySatisfy(s -> assertThat(s).startsWith("autocommit CREATE TABLE \"main\".\"people\""))
                .anySatisfy(s -> assertThat(s).startsWith("autocommit CREATE TABLE IF NOT EXISTS \"main\".\"_tributary_rejects\""))
                .anySatisfy(s -> assertThat(s).startsWith("transaction INSERT INTO \"main\".\"_tributary_state\""));
    }

    @Test
    void elsewhereTheTargetDdlStaysInsideTheCommitTransaction() throws SQLException {
        List<String> log = commitOnce(DuckTestDialect.plain());
        assertThat(log).anySatisfy(s -> assertThat(s).startsWith("transaction CREATE TABLE \"main\".\"people\""))
                .anySatisfy(s -> assertThat(s).startsWith("transaction CREATE TABLE IF NOT EXISTS \"main\".\"_tributary_rejects\""));
    }

    /** One APPEND commit of two rows and a rejection; returns the statements run, each as "autocommit SQL" or "transaction SQL". */
    private static List<String> commitOnce(DuckTestDialect dialect) throws SQLException {
        List<String> log = new ArrayList<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            Connection c = recording(duck, log);
            SchemaRef metadata = new SchemaRef(null, "main");
            StateStore states = new StateStore(dialect, metadata);
            TableCatalog catalog = new TableCatalog(dialect, metadata);
            states.createTable(c);
            catalog.createMappingTable(c);
            log.clear();
            Warehouse warehouse = new TestWarehouse(dialect, metadata, states, catalog);
            ConfiguredStream stream = DestinationWrites.appendStream("crm", "main", "people", SCHEMA);
            TableRef target = new TableRef(null, "main", "people");
            StreamState checkpoint = new StreamState(stream.id(), 1, JsonNodeFactory.instance.objectNode().put("rows", 2));
            try (StreamWriter w = WarehouseStreamWriter.open(warehouse, c, new InsertLoad(c, dialect), stream, new RunId("r1"), target)) {
                w.write(new RecordBatch(SCHEMA, List.of(new Record(new Object[] {1L, "Ann"}, "t:1"), new Record(new Object[] {2L, "Bob"}, "t:2")),
                        List.of(new Rejection("t:3", "id: 'x' is not an integer", "x,Cy")), Optional.empty()));
                w.commit(Optional.of(checkpoint));
            }
            assertThat(states.read(duck, "crm", stream.id())).contains(checkpoint);
            assertThat(Sql.update(duck, "UPDATE " + dialect.qualified(target) + " SET " + dialect.quote("name") + " = upper(" + dialect.quote("name") + ")"))
                    .isEqualTo(2);
            assertThat(Sql.update(duck, "DELETE FROM " + dialect.qualified(RejectsTable.of(target)))).isEqualTo(1);
        }
        return log;
    }

    private static List<String> ddl(List<String> log) {
        return log.stream().filter(s -> {
            String sql = s.substring(s.indexOf(' ') + 1).toUpperCase(Locale.ROOT);
            return (sql.startsWith("CREATE") || sql.startsWith("ALTER") || sql.startsWith("DROP")) && !sql.contains(" TEMP TABLE ");
        }).toList();
    }

    /** {@code c}, recording each SQL text it prepares or executes, prefixed by whether autocommit was on. */
    private static Connection recording(Connection c, List<String> log) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) note(c, log, sql);
            Object result = invoke(c, method, args);
            if (method.getName().equals("createStatement") && result instanceof Statement s) {
                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class}, (p, m, a) -> {
                    if (m.getName().startsWith("execute") && a != null && a[0] instanceof String sql) note(c, log, sql);
                    return invoke(s, m, a);
                });
            }
            return result;
        });
    }

    private static void note(Connection c, List<String> log, String sql) throws SQLException {
        log.add((c.getAutoCommit() ? "autocommit " : "transaction ") + sql);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private record TestWarehouse(SqlDialect dialect, SchemaRef metadataSchema, StateStore stateStore, TableCatalog catalog) implements Warehouse {
        @Override
        public RuntimeException failure(String what, Exception cause) {
            return new IllegalStateException(what + ": " + cause.getMessage(), cause);
        }

        @Override
        public void writerClosed(StreamWriter writer) {}
    }

    /** Row-by-row INSERTs into staging: the simplest bulk-load path. */
    private record InsertLoad(Connection c, SqlDialect dialect) implements BulkLoad {
        @Override
        public long stageRecords(List<Column> columns, RecordBatch batch, long firstSeq, Instant stagedAt) throws SQLException {
            int[] at = StagedValues.valueIndexes(columns, batch);
            String marks = "?, ?, ?" + ", ?".repeat(columns.size());
            long seq = firstSeq;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + dialect.tempTable(StagingTables.ROWS) + " VALUES (" + marks + ")")) {
                for (Record r : batch.records()) {
                    p.setLong(1, seq++);
                    p.setObject(2, stagedAt.atOffset(ZoneOffset.UTC));
                    p.setObject(3, r.deletedAt() == null ? null : r.deletedAt().atOffset(ZoneOffset.UTC));
                    for (int i = 0; i < columns.size(); i++) p.setObject(4 + i, StagedValues.valueAt(r.values(), at[i]));
                    p.executeUpdate();
                }
            }
            return seq;
        }

        @Override
        public void stageRejections(List<Rejection> rejections, long seq, Instant stagedAt) throws SQLException {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + dialect.tempTable(StagingTables.REJECTIONS) + " VALUES (?, ?, ?, ?, ?)")) {
                for (Rejection r : rejections) {
                    p.setLong(1, seq);
                    p.setString(2, r.origin());
                    p.setString(3, r.reason());
                    p.setString(4, r.raw());
                    p.setObject(5, stagedAt.atOffset(ZoneOffset.UTC));
                    p.executeUpdate();
                }
            }
        }

        @Override
        public void close() {}
    }
}
