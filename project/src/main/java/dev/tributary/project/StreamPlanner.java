package dev.tributary.project;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WriteMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a discovered catalog and a connection's settings into the streams to sync: selection, modes, keys,
 * error policy and target tables. Every stream the settings name must exist; every choice must be possible.
 */
public final class StreamPlanner {
    private StreamPlanner() {}

    /** @param only stream names asked for on the command line; empty means the connection's selection */
    public static List<ConfiguredStream> plan(ConnectionSettings connection, Catalog catalog, Set<String> only) {
        List<String> known = catalog.streams().stream().map(d -> d.id().toString()).toList();
        for (StreamSettings s : connection.streams().values()) {
            List<StreamDescriptor> matches = catalog.streams().stream()
                    .filter(d -> d.id().toString().equals(s.name()) || d.id().name().equals(s.name())).toList();
            if (matches.size() > 1 && matches.stream().noneMatch(d -> d.id().toString().equals(s.name()))) {
                throw new ProjectException(s.location() + ": connections." + connection.name() + ".streams." + s.name()
                        + ": several streams are called '" + s.name() + "' ("
                        + String.join(", ", matches.stream().map(d -> d.id().toString()).toList()) + "); name one in full");
            }
            if (matches.isEmpty()) {
                throw new ProjectException(s.location() + ": connections." + connection.name() + ".streams." + s.name()
                        + ": the source has no stream '" + s.name() + "'; it has: " + String.join(", ", known)
                        + Config.didYouMean(s.name(), known));
            }
        }
        for (String name : only) {
            if (catalog.stream(name).isEmpty()) {
                throw new ProjectException("connection " + connection.name() + " has no stream '" + name + "'; it has: "
                        + String.join(", ", known) + Config.didYouMean(name, known));
            }
        }
        List<ConfiguredStream> out = new ArrayList<>();
        for (StreamDescriptor d : catalog.streams()) {
            String name = d.id().name();
            StreamSettings s = connection.streams().getOrDefault(d.id().toString(), connection.streams().get(name));
            boolean selected = only.isEmpty()
                    ? (s != null ? s.selected() : connection.selectAll())
                    : only.contains(name) || only.contains(d.id().toString());
            if (!selected) continue;
            out.add(configure(connection, d, s));
        }
        Map<String, ConfiguredStream> targets = new HashMap<>();
        for (ConfiguredStream c : out) {
            ConfiguredStream other = targets.putIfAbsent(tableKey(c), c);
            if (other != null) {
                throw new ProjectException("connection " + connection.name() + ": streams " + other.id() + " and " + c.id()
                        + " would both write table " + c.targetNamespace() + "." + c.target() + "; give one of them another 'table:'");
            }
        }
        return out;
    }

    /** Table names as warehouses fold them (case, punctuation), so near-identical names count as the same table. */
    private static String tableKey(ConfiguredStream s) {
        return (s.targetNamespace() + "." + s.target()).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}.]+", "_");
    }

    private static ConfiguredStream configure(ConnectionSettings connection, StreamDescriptor d, StreamSettings s) {
        ConfiguredStream base = ConfiguredStream.defaults(connection.name(), d).withOnError(connection.onError());
        if (s == null) return base.withTarget(connection.schema(), d.id().name());
        String where = s.location() + ": connections." + connection.name() + ".streams." + s.name();
        List<String> key = s.primaryKey().orElse(d.schema().primaryKey());
        for (String k : key) {
            if (d.schema().indexOf(k) < 0) {
                throw new ProjectException(where + ".primary_key: no field '" + k + "' in the stream; fields: "
                        + String.join(", ", d.schema().fieldNames()) + Config.didYouMean(k, d.schema().fieldNames()));
            }
        }
        // Overwrite replaces the table with what one sync reads, so it reads everything unless told otherwise.
        boolean overwrite = s.writeMode().orElse(null) == WriteMode.OVERWRITE;
        SyncMode sync = s.syncMode().orElse(overwrite && d.supports(SyncMode.FULL_REFRESH) ? SyncMode.FULL_REFRESH : base.syncMode());
        if (!d.supports(sync)) {
            throw new ProjectException(where + ".sync_mode: the source cannot read this stream " + sync.name().toLowerCase());
        }
        if (overwrite && sync == SyncMode.INCREMENTAL) {
            throw new ProjectException(where + ": write_mode overwrite with sync_mode incremental would replace the table with only"
                    + " what changed since the last sync; use sync_mode: full_refresh, or write_mode: merge or append");
        }
        WriteMode write = s.writeMode().orElse(!key.isEmpty() ? WriteMode.MERGE : sync == SyncMode.INCREMENTAL ? WriteMode.APPEND : WriteMode.OVERWRITE);
        if (write == WriteMode.MERGE && key.isEmpty()) {
            throw new ProjectException(where + ".write_mode: merge needs a primary_key (the source declares none)");
        }
        ErrorPolicy onError = s.onError().orElse(connection.onError());
        return new ConfiguredStream(connection.name(), d, sync, write, key, onError, connection.schema(), s.table().orElse(d.id().name()));
    }
}
