package dev.tributary.destination.iceberg;

import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.Destination;
import dev.tributary.spi.DestinationSession;
import dev.tributary.testkit.DestinationContractTest;
import java.util.List;
import java.util.Map;

/** The destination contract on the lakehouse; subclasses say where the warehouse is. */
abstract class IcebergContractBase extends DestinationContractTest {
    @Override
    protected Destination destination() {
        return new IcebergDestination();
    }

    @Override
    protected List<Map<String, Object>> readTable(DestinationSession session, ConfiguredStream stream) {
        return Rows.table(session, stream);
    }

    @Override
    protected List<Map<String, Object>> readRejects(DestinationSession session, ConfiguredStream stream) {
        IcebergSession s = (IcebergSession) session;
        return Rows.table(s, RejectsTable.of(s.tableId(stream).namespace())).stream()
                .filter(r -> r.get("stream").equals(stream.id().toString())).toList();
    }
}
