package dev.tributary.destination.iceberg;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import dev.tributary.spi.WriteMode;
import dev.tributary.spi.WriterLock;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A sync in a process of its own, for kill -9 tests: appends records {@code 0..total-1} of stream {@code big} from
 * the committed position on, committing every {@code commitEvery} records with the position as state. Prints
 * {@code COMMITTED n} after each commit and {@code STAGED n} after each batch; with {@code pause-at-commit k} it prints
 * {@code COMMITTING} and sleeps just before the catalog commit of its k-th commit.
 */
public final class KillableWriter {
    static final StreamId STREAM = StreamId.of("big");
    static final Schema SCHEMA = new Schema(List.of(new Field("id", DataType.INTEGER, false), Field.of("name", DataType.TEXT),
            Field.of("amount", DataType.DECIMAL)), List.of("id"));

    private KillableWriter() {}

    static ConfiguredStream stream(WriteMode mode) {
        StreamDescriptor d = new StreamDescriptor(STREAM, SCHEMA, Set.of(SyncMode.INCREMENTAL), Optional.empty());
        return new ConfiguredStream("killable", d, SyncMode.INCREMENTAL, mode, mode == WriteMode.MERGE ? List.of("id") : List.of(),
                ErrorPolicy.FAIL, "killable", "big");
    }

    static IcebergSession open(String warehouse) {
        return open(warehouse, 0);
    }

    /** With {@code targetFileSize} > 0, the table's files roll at that size (small: files exist on disk while staging). */
    static IcebergSession open(String warehouse, long targetFileSize) {
        var settings = JsonNodeFactory.instance.objectNode().put("warehouse", warehouse);
        if (targetFileSize > 0) {
            settings.putObject("tables").putObject("killable.big").putObject("properties").put("write.target-file-size-bytes", Long.toString(targetFileSize));
        }
        return new IcebergDestination().open(dev.tributary.spi.Config.of(settings));
    }

    /** Syncs from the committed position to {@code total}; returns the number of records written. */
    static long sync(IcebergSession session, long total, int batchSize, long commitEvery, int pauseAtCommit, boolean report) {
        ConfiguredStream s = stream(WriteMode.APPEND);
        long from = session.committedState("killable", STREAM).map(st -> st.value().get("position").asLong()).orElse(0L);
        int[] commits = {0};
        if (pauseAtCommit > 0) {
            IcebergStreamWriter.beforeCatalogCommit = () -> {
                if (++commits[0] == pauseAtCommit) {
                    System.out.println("COMMITTING");
                    System.out.flush();
                    sleep(60_000);
                }
            };
        }
        long written = 0;
        try (WriterLock lock = session.lockWriter("killable", LockHolder.thisProcess("killable writer"));
                StreamWriter w = session.writer(s, RunId.generate())) {
            long sinceCommit = 0;
            for (long id = from; id < total; ) {
                List<Record> records = new ArrayList<>();
                for (int i = 0; i < batchSize && id < total; i++, id++) {
                    records.add(new Record(new Object[] {id, "name " + id, BigDecimal.valueOf(id, 2)}, "gen:" + id));
                }
                w.write(new RecordBatch(SCHEMA, records, List.of(), Optional.empty()));
                written += records.size();
                sinceCommit += records.size();
                if (report) System.out.println("STAGED " + id);
                if (sinceCommit >= commitEvery || id == total) {
                    w.commit(Optional.of(new StreamState(STREAM, 1, new ObjectMapper().createObjectNode().put("position", id))));
                    sinceCommit = 0;
                    if (report) System.out.println("COMMITTED " + id);
                }
                System.out.flush();
            }
        }
        return written;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        try (IcebergSession session = open(args[0], args.length > 5 ? Long.parseLong(args[5]) : 0)) {
            sync(session, Long.parseLong(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]), true);
        }
        System.out.println("DONE");
    }
}
