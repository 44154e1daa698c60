package dev.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every source passes. A subclass supplies the source, a configuration over test data that it
 * owns (fresh for each test), the stream to exercise, and a way to add data to it. The data must make the
 * stream yield at least three batches with checkpoints, and records must be distinct.
 */
public abstract class SourceContractTest {
    protected abstract Source source();

    /** A configuration over this test's data; called once per test, after any setup. */
    protected abstract Config config();

    /** The name of the stream the contract exercises. */
    protected abstract String streamName();

    /** Adds new, distinct records to the stream's data (for the incremental tests). */
    protected abstract void appendData();

    @Test
    void discoverIsDeterministic() {
        Catalog first = source().discover(config());
        Catalog second = source().discover(config());
        assertThat(second).isEqualTo(first);
        assertThat(first.stream(streamName())).as("stream %s is discovered", streamName()).isPresent();
    }

    @Test
    void checkSucceedsOnValidConfiguration() {
        assertThat(source().check(config()).ok()).isTrue();
    }

    @Test
    void readIsRepeatable() {
        assertThat(readAll(configured(SyncMode.FULL_REFRESH), Optional.empty()).records)
                .isEqualTo(readAll(configured(SyncMode.FULL_REFRESH), Optional.empty()).records);
    }

    @Test
    void stopMidStreamAndResumeHasNoGapAndNoDuplicate() {
        ConfiguredStream stream = configured(preferredMode());
        Read full = readAll(stream, Optional.empty());
        assertThat(full.checkpointedBatches).as("fixture must yield at least 3 checkpointed batches").isGreaterThanOrEqualTo(3);
        assertNoDuplicates(full.records);

        for (int stopAfter = 1; stopAfter < full.checkpointedBatches; stopAfter++) {
            List<Map<String, Object>> firstPart = new ArrayList<>();
            List<Map<String, Object>> sinceCheckpoint = new ArrayList<>();
            StreamState checkpoint = null;
            int checkpoints = 0;
            try (StreamReader reader = source().read(config(), stream, Optional.empty())) {
                while (checkpoints < stopAfter) {
                    RecordBatch batch = reader.next().orElseThrow();
                    sinceCheckpoint.addAll(rows(batch));
                    if (batch.checkpoint().isPresent()) {
                        checkpoint = batch.checkpoint().get();
                        firstPart.addAll(sinceCheckpoint);
                        sinceCheckpoint.clear();
                        checkpoints++;
                    }
                }
            }
            // What was read after the last checkpoint was never committed: a resumed read must bring it again.
            StreamState stored = StreamState.fromJson(checkpoint.toJson());
            Read rest = readAll(stream, Optional.of(stored));
            List<Map<String, Object>> combined = new ArrayList<>(firstPart);
            combined.addAll(rest.records);
            assertNoDuplicates(combined);
            assertThat(new HashSet<>(combined)).as("stopped after %d checkpoints and resumed", stopAfter)
                    .isEqualTo(new HashSet<>(full.records));
        }
    }

    @Test
    void resumingFromFinalStateReadsOnlyNewData() {
        if (!source().spec().has(ConnectorSpec.Capability.INCREMENTAL)) return;
        ConfiguredStream stream = configured(SyncMode.INCREMENTAL);
        Read first = readAll(stream, Optional.empty());
        assertThat(first.lastState).isPresent();
        appendData();
        Read second = readAll(stream, first.lastState.map(s -> StreamState.fromJson(s.toJson())));
        assertThat(second.records).as("new data is read after resume").isNotEmpty();
        Set<Map<String, Object>> before = new HashSet<>(first.records);
        assertThat(second.records).as("nothing read before is read again").noneMatch(before::contains);

        Read everything = readAll(configured(SyncMode.FULL_REFRESH), Optional.empty());
        List<Map<String, Object>> combined = new ArrayList<>(first.records);
        combined.addAll(second.records);
        assertThat(new HashSet<>(combined)).isEqualTo(new HashSet<>(everything.records));
    }

    @Test
    void theLastBatchWithRecordsCarriesACheckpoint() {
        if (!source().spec().has(ConnectorSpec.Capability.INCREMENTAL)) return;
        boolean coveredSinceLastRecords = true;
        try (StreamReader reader = source().read(config(), configured(SyncMode.INCREMENTAL), Optional.empty())) {
            for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) {
                if (b.get().checkpoint().isPresent()) coveredSinceLastRecords = true;
                else if (!b.get().records().isEmpty()) coveredSinceLastRecords = false;
            }
        }
        assertThat(coveredSinceLastRecords).as("records after the last checkpoint would be committed with an older state").isTrue();
    }

    @Test
    void checkpointsSurviveJsonRoundTrip() {
        ConfiguredStream stream = configured(preferredMode());
        try (StreamReader reader = source().read(config(), stream, Optional.empty())) {
            for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) {
                b.get().checkpoint().ifPresent(s -> {
                    assertThat(s.stream()).isEqualTo(stream.id());
                    assertThat(StreamState.fromJson(s.toJson())).isEqualTo(s);
                });
            }
        }
    }

    @Test
    void recordsFollowTheirBatchSchema() {
        try (StreamReader reader = source().read(config(), configured(preferredMode()), Optional.empty())) {
            Schema previous = null;
            for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) {
                Schema schema = b.get().schema();
                for (Record r : b.get().records()) assertThat(r.values().length).isLessThanOrEqualTo(schema.fields().size());
                if (previous != null) {
                    assertThat(schema.fieldNames()).as("schemas only grow").containsAll(previous.fieldNames());
                }
                previous = schema;
            }
        }
    }

    protected SyncMode preferredMode() {
        return source().spec().has(ConnectorSpec.Capability.INCREMENTAL) ? SyncMode.INCREMENTAL : SyncMode.FULL_REFRESH;
    }

    protected ConfiguredStream configured(SyncMode mode) {
        StreamDescriptor d = source().discover(config()).stream(streamName()).orElseThrow();
        return ConfiguredStream.defaults("contract", d).withModes(mode, ConfiguredStream.defaults("contract", d).writeMode());
    }

    /** Everything one read yields, as rows keyed by field name. */
    protected record Read(List<Map<String, Object>> records, int checkpointedBatches, Optional<StreamState> lastState) {}

    protected Read readAll(ConfiguredStream stream, Optional<StreamState> from) {
        List<Map<String, Object>> out = new ArrayList<>();
        int checkpointed = 0;
        Optional<StreamState> last = Optional.empty();
        try (StreamReader reader = source().read(config(), stream, from)) {
            for (Optional<RecordBatch> b = reader.next(); b.isPresent(); b = reader.next()) {
                out.addAll(rows(b.get()));
                if (b.get().checkpoint().isPresent()) {
                    checkpointed++;
                    last = b.get().checkpoint();
                }
            }
        }
        return new Read(out, checkpointed, last.or(() -> from));
    }

    protected static List<Map<String, Object>> rows(RecordBatch batch) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> names = batch.schema().fieldNames();
        for (Record r : batch.records()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                Object v = r.value(i);
                if (v != null) row.put(names.get(i), v);
            }
            out.add(row);
        }
        return out;
    }

    private static void assertNoDuplicates(List<Map<String, Object>> rows) {
        assertThat(new HashSet<>(rows)).as("no record is read twice").hasSize(rows.size());
    }
}
