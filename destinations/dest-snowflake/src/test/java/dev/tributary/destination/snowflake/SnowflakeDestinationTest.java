package dev.tributary.destination.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import dev.tributary.spi.Config;
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
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snowflake's own rules through the real driver and the sandbox: types, identifiers, key pairs, secrets, a warehouse that goes away. */
class SnowflakeDestinationTest {
    private static final StreamId STREAM = StreamId.of("deals");
    private static final Schema SCHEMA = new Schema(List.of(new Field("Deal Id", DataType.INTEGER, false), Field.of("select", DataType.TEXT),
            Field.of("closed_at", DataType.TIMESTAMP_TZ), Field.of("seen_local", DataType.TIMESTAMP), Field.of("props", DataType.JSON),
            Field.of("amount", DataType.DECIMAL)), List.of("Deal Id"));

    @TempDir
    Path dir;

    private static ConfiguredStream stream(WriteMode mode) {
        return new ConfiguredStream("crm", new StreamDescriptor(STREAM, SCHEMA, Set.of(SyncMode.INCREMENTAL), Optional.empty()), SyncMode.INCREMENTAL, mode,
                mode == WriteMode.MERGE ? SCHEMA.primaryKey() : List.of(), ErrorPolicy.FAIL, "hubspot", "deals");
    }

    private static RecordBatch batch(int position, Object[]... rows) {
        List<Record> records = new java.util.ArrayList<>();
        for (Object[] r : rows) records.add(new Record(r, "test:" + records.size()));
        return new RecordBatch(SCHEMA, records, List.of(), Optional.of(new StreamState(STREAM, 1, new ObjectMapper().createObjectNode().put("p", position))));
    }

    private static void commit(SnowflakeSession session, ConfiguredStream s, RecordBatch b) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(b);
            w.commit(b.checkpoint());
        }
    }

    @Test
    void dropNamespaceDropsTheSchemaAndForgetsTheStates() {
        try (SnowflakeSession session = new SnowflakeDestination().open(SnowflakeSandboxWarehouse.config())) {
            ConfiguredStream s = stream(WriteMode.APPEND);
            commit(session, s, batch(1, new Object[] {1L, "one", null, null, null, null}));
            assertThat(SnowflakeSandboxWarehouse.rows(session, session.tableName(s))).hasSize(1);
            assertThat(session.committedState("crm", STREAM)).isPresent();

            assertThat(session.dropNamespace("hubspot", "crm")).isEqualTo(session.tableName(s).get(1).toUpperCase(java.util.Locale.ROOT));

            assertThat(SnowflakeSandboxWarehouse.rows(session, session.tableName(s))).isEmpty();
            assertThat(session.committedState("crm", STREAM)).isEmpty();
            commit(session, s, batch(2, new Object[] {2L, "two", null, null, null, null}));
            assertThat(SnowflakeSandboxWarehouse.rows(session, session.tableName(s))).hasSize(1);
        }
    }

    @Test
    void typesVariantAndUpperCaseIdentifiersWithAKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        try (SnowflakeSandbox sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withPublicKey("loader", pair.getPublic()).withDatabases(List.of("RAW")))) {
            ObjectNode n = config(sandbox, "kp_");
            n.remove("password");
            n.put("user", "loader");
            n.put("private_key", pem);
            SnowflakeSettings settings = SnowflakeSettings.read(Config.of(n));
            assertThat(settings.describe()).contains("(key pair)").doesNotContain("PRIVATE KEY");
            try (SnowflakeSession session = new SnowflakeDestination().open(Config.of(n))) {
                Instant closed = Instant.parse("2026-03-04T05:06:07.123456Z");
                commit(session, stream(WriteMode.MERGE), batch(1,
                        new Object[] {1L, "a \"quoted\", value", closed, LocalDateTime.parse("2026-03-04T05:06:07"), Map.of("stage", "won", "n", List.of(1, 2)), new BigDecimal("12.5")},
                        new Object[] {2L, "", null, null, null, null}));
                commit(session, stream(WriteMode.MERGE), batch(2, new Object[] {2L, "second", null, null, Map.of("k", true), new BigDecimal("3")}));
                assertThat(session.tableOf(stream(WriteMode.MERGE))).isEqualTo("KP_HUBSPOT.DEALS");
                try (Connection c = session.newConnection(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select deal_id, \"SELECT\", closed_at, seen_local, props, amount from raw.kp_hubspot.deals order by deal_id")) {
                    assertThat(rs.getMetaData().getColumnName(1)).isEqualTo("DEAL_ID");
                    assertThat(rs.getMetaData().getColumnTypeName(3)).isEqualTo("TIMESTAMPTZ");
                    assertThat(rs.getMetaData().getColumnTypeName(4)).isEqualTo("TIMESTAMPNTZ");
                    assertThat(rs.getMetaData().getColumnTypeName(5)).isEqualTo("VARIANT");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("a \"quoted\", value");
                    assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(closed);
                    assertThat(new ObjectMapper().readTree(rs.getString(5))).isEqualTo(new ObjectMapper().readTree("{\"stage\":\"won\",\"n\":[1,2]}"));
                    assertThat(rs.getBigDecimal(6)).isEqualByComparingTo("12.5");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo("second");
                    assertThat(rs.next()).isFalse();
                }
            }
        }
    }

    /**
     * Batches are held back as files until the commit: one the writer aborted is forgotten with it, and a column widened
     * between two batches of one commit (DECIMAL to TEXT) is widened in staging by add / cast / drop / rename, as
     * Snowflake needs, before the files are loaded.
     */
    @Test
    void anAbortForgetsTheFilesAndAColumnWidensBetweenBatchesOfOneCommit() {
        Schema amountAsText = new Schema(SCHEMA.fields().stream().map(f -> f.name().equals("amount") ? Field.of("amount", DataType.TEXT) : f).toList(),
                SCHEMA.primaryKey());
        try (SnowflakeSession session = new SnowflakeDestination().open(SnowflakeSandboxWarehouse.config())) {
            ConfiguredStream s = stream(WriteMode.APPEND);
            try (StreamWriter w = session.writer(s, RunId.generate())) {
                w.write(batch(1, new Object[] {1L, "aborted", null, null, null, new BigDecimal("1")}));
                w.abort();
                w.write(batch(2, new Object[] {2L, "decimal", null, null, null, new BigDecimal("12.5")}));
                RecordBatch text = new RecordBatch(amountAsText, List.of(new Record(new Object[] {3L, "text", null, null, null, "about 3"}, "test:0")),
                        List.of(), Optional.of(new StreamState(STREAM, 1, new ObjectMapper().createObjectNode().put("p", 3))));
                w.write(text);
                w.commit(text.checkpoint());
            }
            assertThat(SnowflakeSandboxWarehouse.rows(session, session.tableName(s)))
                    .extracting(r -> r.get("select") + "=" + r.get("amount"))
                    .containsExactlyInAnyOrder("decimal=12.5", "text=about 3");
            assertThat(session.committedState("crm", STREAM)).map(st -> st.value().get("p").asInt()).contains(3);
        }
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        try (SnowflakeSandbox sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDatabases(List.of("RAW")))) {
            ObjectNode n = config(sandbox, "pw_");
            n.put("password", "not-the-Secret-42");
            assertThatThrownBy(() -> new SnowflakeDestination().open(Config.of(n)))
                    .hasMessageContaining("Incorrect username or password")
                    .hasMessageContaining("RAW of account SANDBOX")
                    .satisfies(e -> assertThat(e.toString() + e.getCause()).doesNotContain("not-the-Secret-42"));
        }
    }

    /**
     * The warehouse goes away between a batch and its commit (the sandbox stops): the commit fails, and once it is back
     * (a new process on the same data folder) it holds the first commit's rows and state only; the batch then loads.
     */
    @Test
    void aWarehouseThatDiesBeforeTheCommitKeepsTheLastCommit() {
        ConfiguredStream s = stream(WriteMode.APPEND);
        Object[] first = {1L, "first", null, null, null, new BigDecimal("1")};
        Object[] second = {2L, "second", null, null, null, new BigDecimal("2")};
        SnowflakeSandbox sandbox = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDataDir(dir).withDatabases(List.of("RAW")));
        ObjectNode n = config(sandbox, "crash_");
        SnowflakeSession session = new SnowflakeDestination().open(Config.of(n));
        commit(session, s, batch(1, first));
        StreamWriter w = session.writer(s, RunId.generate());
        w.write(batch(2, second));
        sandbox.close();
        assertThatThrownBy(() -> w.commit(batch(2, second).checkpoint())).isInstanceOf(RuntimeException.class).hasMessageContaining("Snowflake");
        w.close();
        session.close();
        try (SnowflakeSandbox again = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withDataDir(dir));
             SnowflakeSession reopened = new SnowflakeDestination().open(Config.of(config(again, "crash_")))) {
            assertThat(reopened.committedState("crm", STREAM)).map(st -> st.value().get("p").asInt()).contains(1);
            assertThat(SnowflakeSandboxWarehouse.rows(reopened, reopened.tableName(s))).extracting(r -> r.get("select")).containsExactly("first");
            commit(reopened, s, batch(2, second));
            assertThat(SnowflakeSandboxWarehouse.rows(reopened, reopened.tableName(s))).extracting(r -> r.get("select")).containsExactlyInAnyOrder("first", "second");
            assertThat(reopened.committedState("crm", STREAM)).map(st -> st.value().get("p").asInt()).contains(2);
        }
    }

    private static ObjectNode config(SnowflakeSandbox sandbox, String prefix) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("account", sandbox.options().account());
        n.put("user", sandbox.connectionProperties().getProperty("user"));
        n.put("password", sandbox.connectionProperties().getProperty("password"));
        n.put("url", "jdbc:snowflake://127.0.0.1:" + sandbox.port() + "/?ssl=off&maxHttpRetries=1&networkTimeout=10000&loginTimeout=10");
        n.put("database", "RAW");
        n.put("schema_prefix", prefix);
        return n;
    }
}
