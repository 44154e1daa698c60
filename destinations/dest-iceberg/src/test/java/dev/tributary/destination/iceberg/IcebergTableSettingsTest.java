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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table's partition_by and properties changed in the project after the table was made: never silently ignored. */
class IcebergTableSettingsTest {
    private static final Schema PEOPLE = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT)), List.of("id"));
    @TempDir
    Path dir;

    private IcebergSession open(List<String> partitionBy, Map<String, String> properties) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.put("warehouse", dir.resolve("lakehouse").toString());
        ObjectNode table = settings.putObject("tables").putObject("crm.people");
        partitionBy.forEach(table.putArray("partition_by")::add);
        ObjectNode props = table.putObject("properties");
        properties.forEach(props::put);
        return new IcebergDestination().open(Config.of(settings));
    }

    private static void sync(IcebergSession session) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of("people"), PEOPLE, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        ConfiguredStream s = new ConfiguredStream("crm", d, SyncMode.INCREMENTAL, WriteMode.APPEND, List.of(), ErrorPolicy.FAIL, "crm", "people");
        try (StreamWriter w = session.writer(s, RunId.generate())) {
            w.write(new RecordBatch(PEOPLE, List.of(new Record(new Object[] {1L, "Ada"}, "t")), List.of(), Optional.empty()));
            w.commit(Optional.of(new StreamState(StreamId.of("people"), 1, new ObjectMapper().createObjectNode().put("position", 1))));
        }
    }

    @Test
    void aChangedPartitioningIsAnErrorSayingWhatDiffersAndChangedPropertiesAreSet() {
        try (IcebergSession session = open(List.of("bucket(4, id)"), Map.of())) {
            sync(session);
        }
        try (IcebergSession session = open(List.of("bucket(8, id)"), Map.of())) {
            assertThatThrownBy(() -> sync(session)).hasMessageContaining("table crm.people is partitioned by [bucket[4](id)]")
                    .hasMessageContaining("gives [bucket[8](id)]");
        }
        try (IcebergSession session = open(List.of("bucket(4, missing)"), Map.of())) {
            assertThatThrownBy(() -> sync(session)).hasMessageContaining("'missing'");
        }
        try (IcebergSession session = open(List.of("bucket(4, id)"), Map.of("write.target-file-size-bytes", "1048576"))) {
            sync(session);
            assertThat(session.lakehouse().catalog().loadTable(TableIdentifier.of("crm", "people")).properties())
                    .containsEntry("write.target-file-size-bytes", "1048576");
        }
    }
}
