package dev.tributary.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tributary.destination.warehouse.Column;
import dev.tributary.destination.warehouse.TableCatalog;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import dev.tributary.testkit.LoggedWarnings;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A widening of a column is four statements on Snowflake, each committed by itself (add {@code AMOUNT__TRIBUTARY_WIDEN},
 * cast the values into it, drop {@code AMOUNT}, rename): a crash after any of the first three leaves the table half-widened.
 * The next sync must find every value, once, in {@code AMOUNT} of the widened type, and no leftover column.
 */
class SnowflakeWideningCrashTest {
    private static final StreamId STREAM = StreamId.of("deals");

    private static Schema schema(DataType amount) {
        return new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("amount", amount)), List.of("id"));
    }

    private static ConfiguredStream stream(WriteMode mode) {
        Schema first = schema(DataType.DECIMAL);
        return new ConfiguredStream("crm", new StreamDescriptor(STREAM, first, Set.of(SyncMode.INCREMENTAL), Optional.empty()), SyncMode.INCREMENTAL, mode,
                mode == WriteMode.MERGE ? first.primaryKey() : List.of(), ErrorPolicy.FAIL, "hubspot", "deals");
    }

    private static void sync(SnowflakeSession session, ConfiguredStream s, Schema schema, int position, Object[]... rows) {
        List<Record> records = new ArrayList<>();
        for (Object[] r : rows) records.add(new Record(r, "test:" + records.size()));
        RecordBatch b = new RecordBatch(schema, records, List.of(), Optional.of(new StreamState(STREAM, 1, new ObjectMapper().createObjectNode().put("p", position))));
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(b);
            w.commit(b.checkpoint());
        }
    }

    /**
     * {@code done} of the widening's statements ran before the crash: 1 (after ADD), 2 (after UPDATE), 3 (after DROP);
     * 0, no crash, shows what a widening leaves (the values cast from NUMBER(38,9) to VARCHAR: {@code 12.500000000}).
     * The next sync sends the amount as text, so the widening is wanted again.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aSyncAfterACrashInsideAWideningFindsEveryValueWidened(int done) throws SQLException {
        for (WriteMode mode : List.of(WriteMode.APPEND, WriteMode.MERGE)) {
            try (SnowflakeSession session = new SnowflakeDestination().open(SnowflakeSandboxWarehouse.config())) {
                ConfiguredStream s = stream(mode);
                sync(session, s, schema(DataType.DECIMAL), 1, new Object[] {1L, new BigDecimal("12.5")}, new Object[] {2L, new BigDecimal("3")});
                crashInsideWidening(session, s, done);

                List<String> warnings = LoggedWarnings.during(TableCatalog.class, () -> sync(session, s, schema(DataType.TEXT), 2, new Object[] {3L, "about 3"}));

                assertThat(amounts(session, s)).as(mode + " after " + done + " statements").containsExactly("1=12.500000000", "2=3.000000000", "3=about 3");
                assertThat(columns(session, s)).as(mode + " after " + done + " statements").containsExactly("ID", "AMOUNT");
                assertThat(type(session, s, "AMOUNT")).isEqualTo("TEXT");
                assertThat(session.committedState("crm", STREAM)).map(st -> st.value().get("p").asInt()).contains(2);
                String table = session.tableName(s).get(1) + "." + session.tableName(s).get(2);
                if (done == 0) assertThat(warnings).noneMatch(w -> w.contains(table));
                else assertThat(warnings).filteredOn(w -> w.contains(table)).singleElement().asString()
                        .contains("amount__tributary_widen").contains(done == 3 ? "renaming the leftover" : "dropping the leftover");
            }
        }
    }

    /** After the DROP, a sync that no longer asks for the wider type still finds the values, widened, under the column's name. */
    @Test
    void aSyncThatNoLongerWidensStillGetsTheDroppedColumnBack() throws SQLException {
        try (SnowflakeSession session = new SnowflakeDestination().open(SnowflakeSandboxWarehouse.config())) {
            ConfiguredStream s = stream(WriteMode.APPEND);
            sync(session, s, schema(DataType.DECIMAL), 1, new Object[] {1L, new BigDecimal("12.5")});
            crashInsideWidening(session, s, 3);

            sync(session, s, schema(DataType.DECIMAL), 2, new Object[] {2L, new BigDecimal("4")});

            assertThat(amounts(session, s)).containsExactly("1=12.500000000", "2=4");
            assertThat(columns(session, s)).containsExactly("ID", "AMOUNT");
            assertThat(type(session, s, "AMOUNT")).isEqualTo("TEXT");
        }
    }

    /** Runs the first {@code done} statements of the widening of AMOUNT (DECIMAL to TEXT) the kit would run, as a crash leaves them. */
    private static void crashInsideWidening(SnowflakeSession session, ConfiguredStream s, int done) throws SQLException {
        List<String> t = session.tableName(s);
        List<String> widening = SnowflakeDialect.INSTANCE.widenOnItsOwn(SnowflakeDialect.qualified(t.get(0), t.get(1), t.get(2)),
                new Column("amount", "amount", DataType.TEXT), DataType.DECIMAL);
        assertThat(widening).hasSize(4);
        try (Connection c = session.newConnection(); Statement st = c.createStatement()) {
            for (String sql : widening.subList(0, done)) st.execute(sql);
        }
    }

    /** {@code id=amount} of every row, by id. */
    private static List<String> amounts(SnowflakeSession session, ConfiguredStream s) {
        return SnowflakeSandboxWarehouse.rows(session, session.tableName(s)).stream()
                .sorted(Comparator.comparingLong(r -> ((Number) r.get("id")).longValue()))
                .map(r -> r.get("id") + "=" + r.get("amount"))
                .toList();
    }

    /** The table's data columns (metadata columns left out), in table order. */
    private static List<String> columns(SnowflakeSession session, ConfiguredStream s) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = session.newConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(select(session, s))) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String name = rs.getMetaData().getColumnName(i);
                if (!name.toLowerCase(Locale.ROOT).startsWith("_tributary_")) out.add(name);
            }
        }
        return out;
    }

    /** The column's type as the warehouse's catalog names it. */
    private static String type(SnowflakeSession session, ConfiguredStream s, String column) throws SQLException {
        List<String> t = session.tableName(s);
        try (Connection c = session.newConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT data_type FROM " + t.get(0) + ".information_schema.columns WHERE table_schema = '"
                     + t.get(1).toUpperCase(Locale.ROOT) + "' AND table_name = '" + t.get(2).toUpperCase(Locale.ROOT) + "' AND column_name = '" + column + "'")) {
            assertThat(rs.next()).as("column " + column).isTrue();
            return rs.getString(1);
        }
    }

    private static String select(SnowflakeSession session, ConfiguredStream s) {
        List<String> t = session.tableName(s);
        return "SELECT * FROM " + SnowflakeDialect.qualified(t.get(0), t.get(1), t.get(2)) + " LIMIT 0";
    }
}
