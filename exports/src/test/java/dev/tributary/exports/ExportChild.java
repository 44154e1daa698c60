package dev.tributary.exports;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/** A child JVM for {@link ExportKillTest}: exports {@code args[1]} partitions of version {@code args[2]} to {@code args[0]},
 * slowly when {@code args[3]} is true. */
public final class ExportChild {
    private ExportChild() {
    }

    public static void main(String[] args) throws Exception {
        export(Path.of(args[0]), Integer.parseInt(args[1]), args[2], Boolean.parseBoolean(args[3]));
    }

    /** The export the child runs; the test runs the ones it does not kill in its own JVM. */
    static void export(Path root, int partitions, String version, boolean slow) throws Exception {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duckdb.createStatement()) {
            s.execute("CREATE TABLE t AS SELECT i % " + partitions + " AS tenant, i AS id, '" + version + "' AS version FROM range(0, " + partitions * 20 + ") r(i)");
            // storage as slow as a remote one (5 ms per step), so the parent can kill it in the middle of the swaps
            new PartitionedExport(duckdb, line -> { }, r -> slow ? new SlowStore(new LocalPartitionStore(r)) : new LocalPartitionStore(r)).run("t", "t",
                    new ExportLocation.LocalFolder(root), new PartitionedExport.Options(List.of("tenant"), false, null, root.getParent()));
        }
    }

    private static final class SlowStore extends ForwardingStore {
        SlowStore(PartitionStore delegate) {
            super(delegate);
        }

        @Override
        public void publish(Path file, String partition, String name) {
            pause();
            super.publish(file, partition, name);
        }

        @Override
        public void commit(String partition, PartitionManifest manifest) {
            pause();
            super.commit(partition, manifest);
        }

        private static void pause() {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
