package dev.tributary.destination.iceberg;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DestinationSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/** Reads lakehouse tables back through Iceberg's own generic reader (current snapshot, deletes applied), for tests. */
final class Rows {
    private Rows() {}

    static List<Map<String, Object>> table(DestinationSession session, ConfiguredStream stream) {
        IcebergSession s = (IcebergSession) session;
        return table(s, s.tableId(stream));
    }

    static List<Map<String, Object>> table(IcebergSession session, TableIdentifier id) {
        Table t;
        try {
            t = session.lakehouse().catalog().loadTable(id);
        } catch (NoSuchTableException e) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(t).build()) {
            for (Record r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Types.NestedField f : t.schema().columns()) m.put(f.name(), r.getField(f.name()));
                out.add(m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
