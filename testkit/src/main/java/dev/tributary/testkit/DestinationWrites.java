package dev.tributary.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import dev.tributary.spi.ErrorPolicy;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Small writes for destination tests that need data in place rather than a contract suite. */
public final class DestinationWrites {
    private DestinationWrites() {}

    /** An append stream {@code name} of {@code connection}, landing in {@code namespace} under its own name. */
    public static ConfiguredStream appendStream(String connection, String namespace, String name, Schema schema) {
        StreamDescriptor d = new StreamDescriptor(StreamId.of(name), schema, Set.of(SyncMode.FULL_REFRESH), Optional.empty());
        return new ConfiguredStream(connection, d, SyncMode.FULL_REFRESH, WriteMode.APPEND, List.of(), ErrorPolicy.FAIL, namespace, name);
    }

    /** Writes {@code rows} and commits them with a state {@code {"rows": n}}. */
    public static void commit(DestinationSession session, ConfiguredStream stream, Object[]... rows) {
        List<Record> records = new ArrayList<>();
        for (Object[] r : rows) records.add(new Record(r, "test:" + records.size()));
        try (StreamWriter w = session.writer(stream, RunId.generate())) {
            w.write(new RecordBatch(stream.schema(), records, null));
            w.commit(Optional.of(new StreamState(stream.id(), 1, JsonNodeFactory.instance.objectNode().put("rows", rows.length))));
        }
    }
}
