package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.RunId;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.StreamWriter;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriteMode;
import dev.tributary.spi.WriterLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers of one table (two connections the project puts in one namespace) against a retyping and against maintenance, and commits whose
 * outcome the catalog did not tell: the findings of the lakehouse review.
 */
class IcebergTableLockTest {
    private static final Schema NARROW = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("score", DataType.INTEGER)), List.of("id"));
    private static final Schema WIDE = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("score", DataType.NUMBER)), List.of("id"));
    private static final TableIdentifier PEOPLE = TableIdentifier.of("app", "people");
    @TempDir
    Path dir;

    @AfterEach
    void resetHooks() {
        IcebergStreamWriter.beforeCatalogCommit = () -> {};
        IcebergStreamWriter.afterCatalogCommit = () -> {};
    }

    private IcebergSession open(Map<String, String> properties) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.put("warehouse", dir.resolve("lakehouse").toString());
        ObjectNode props = settings.putObject("tables").putObject("app.people").putObject("properties");
        properties.forEach(props::put);
        return new IcebergDestination().open(Config.of(settings));
    }

    private static ConfiguredStream stream(String connection, Schema schema) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of("people"), schema, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        return new ConfiguredStream(connection, d, SyncMode.INCREMENTAL, WriteMode.MERGE, schema.primaryKey(), ErrorPolicy.FAIL, "app", "people");
    }

    private static Optional<StreamState> state(int position) {
        return Optional.of(new StreamState(StreamId.of("people"), 1, new ObjectMapper().createObjectNode().put("position", position)));
    }

    private static RecordBatch batch(Schema s, Object[]... rows) {
        List<Record> rs = new ArrayList<>();
        for (Object[] r : rows) rs.add(new Record(r, "test"));
        return new RecordBatch(s, rs, List.of(), Optional.empty());
    }

    private static void sync(IcebergSession session, ConfiguredStream s, int position, Object[]... rows) {
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(batch(s.schema(), rows));
            w.commit(state(position));
        }
    }

    /** writer ("111": app_111's ids below 100, "222": app_222's from 100) -> id -> score, of the live rows. */
    private static Map<String, Map<Object, Object>> scores(IcebergSession session) {
        Map<String, Map<Object, Object>> out = new TreeMap<>();
        for (Map<String, Object> r : Rows.table(session, PEOPLE)) {
            if (r.get(TributaryColumns.DELETED_AT) != null) continue;
            out.computeIfAbsent(((Number) r.get("id")).longValue() < 100 ? "111" : "222", t -> new TreeMap<>()).put(r.get("id"), r.get("score"));
        }
        return out;
    }

    @Test
    void aRetypeIsRefusedWhileAnotherWriterStagesAndTheirRowsKeepTheirValues() {
        try (IcebergSession session = open(Map.of())) {
            ConfiguredStream a = stream("app_111", NARROW);
            ConfiguredStream b = stream("app_222", NARROW);
            sync(session, a, 1, new Object[] {1L, 1L});
            sync(session, b, 1, new Object[] {101L, 3L});
            StreamWriter staging = session.writer(b, RunId.generate());
            staging.write(batch(NARROW, new Object[] {101L, 7L}, new Object[] {102L, 8L}));
            // before the fix this rewrote every writer's rows under a new field id; b's staged files then read NULL
            assertThatThrownBy(() -> sync(session, stream("app_111", WIDE), 2, new Object[] {2L, 1.5d}))
                    .hasMessageContaining("needs a column of app.people widened").hasMessageContaining("other writers are staging files");
            staging.commit(state(2));
            staging.close();
            assertThat(scores(session).get("222")).containsExactly(Map.entry(101L, 7L), Map.entry(102L, 8L));
            // once b is done, a's retype goes through and keeps every value
            sync(session, stream("app_111", WIDE), 2, new Object[] {2L, 1.5d});
            assertThat(scores(session).get("222")).containsExactly(Map.entry(101L, 7.0d), Map.entry(102L, 8.0d));
            assertThat(scores(session).get("111")).containsExactly(Map.entry(1L, 1.0d), Map.entry(2L, 1.5d));
        }
    }

    @Test
    void removeOrphansWaitsForNoOneAndSparesANewWritersFirstSync() throws Exception {
        try (IcebergSession session = open(Map.of("write.target-file-size-bytes", "1"))) {
            sync(session, stream("app_111", NARROW), 1, new Object[] {1L, 1L});
            ConfiguredStream b = stream("app_222", NARROW);
            try (WriterLock ignored = session.lockWriter("app_222", LockHolder.thisProcess("sync"));
                    StreamWriter w = session.writer(b, RunId.generate())) {
                Object[][] many = new Object[2500][];
                for (int i = 0; i < many.length; i++) many[i] = new Object[] {(long) i + 100, (long) i};
                w.write(batch(NARROW, many));
                LakehouseMaintenance maintenance = new LakehouseMaintenance(session, LockHolder.thisProcess("lakehouse remove-orphans"));
                // app@222 is in no state yet: only the table lock knows it writes here
                assertThatThrownBy(() -> maintenance.removeOrphans(PEOPLE, Duration.ZERO, false))
                        .isInstanceOf(WarehouseBusyException.class).hasMessageContaining("has writers staging files");
                w.commit(state(2));
            }
            assertThat(scores(session).get("222")).hasSize(2500);
            assertThat(session.committedState("app_222", StreamId.of("people"))).isPresent();
        }
    }

    @Test
    void removeOrphansKeepsFilesYoungerThanTheThreshold() throws Exception {
        try (IcebergSession session = open(Map.of())) {
            sync(session, stream("app_111", NARROW), 1, new Object[] {1L, 1L});
            Path stray = dir.resolve("lakehouse/app/people/data/stray.parquet");
            Files.writeString(stray, "left by a killed sync");
            LakehouseMaintenance maintenance = new LakehouseMaintenance(session, LockHolder.thisProcess("lakehouse remove-orphans"));
            assertThat(maintenance.removeOrphans(PEOPLE, Duration.ofDays(3), false).files()).isEmpty();
            assertThat(stray).exists();
            assertThat(maintenance.removeOrphans(PEOPLE, Duration.ZERO, false).files()).containsExactly(stray.toString());
            assertThat(stray).doesNotExist();
        }
    }

    @Test
    void aCommitWhoseAnswerWasLostKeepsItsFilesAndIsFoundWhenItLanded() {
        try (IcebergSession session = open(Map.of())) {
            ConfiguredStream a = stream("app_111", NARROW);
            sync(session, a, 1, new Object[] {1L, 1L});
            // the catalog took the commit, then the connection dropped: before the fix the files were deleted under it
            IcebergStreamWriter.afterCatalogCommit = () -> {
                throw new CommitStateUnknownException(new RuntimeException("connection lost after the UPDATE"));
            };
            sync(session, a, 2, new Object[] {1L, 5L}, new Object[] {2L, 6L});
            IcebergStreamWriter.afterCatalogCommit = () -> {};
            assertThat(scores(session).get("111")).containsExactly(Map.entry(1L, 5L), Map.entry(2L, 6L));
            assertThat(session.committedState("app_111", StreamId.of("people")).orElseThrow().value().get("position").asInt()).isEqualTo(2);

            // the commit never reached the catalog, but the answer says "unknown": files stay for remove-orphans
            IcebergStreamWriter.beforeCatalogCommit = () -> {
                throw new CommitStateUnknownException(new RuntimeException("connection lost"));
            };
            assertThatThrownBy(() -> sync(session, a, 3, new Object[] {3L, 9L})).hasMessageContaining("whether it landed is unknown")
                    .hasMessageContaining("remove-orphans");
            IcebergStreamWriter.beforeCatalogCommit = () -> {};
            assertThat(session.committedState("app_111", StreamId.of("people")).orElseThrow().value().get("position").asInt()).isEqualTo(2);
            List<String> orphans = new LakehouseMaintenance(session, LockHolder.thisProcess("lakehouse remove-orphans"))
                    .removeOrphans(PEOPLE, Duration.ZERO, false).files();
            assertThat(orphans).as("the kept data file").anySatisfy(f -> assertThat(f).endsWith(".parquet"));
            assertThat(scores(session).get("111")).containsExactly(Map.entry(1L, 5L), Map.entry(2L, 6L));
        }
    }
}
