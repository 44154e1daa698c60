package dev.tributary.spark;

import dev.tributary.testkit.ComparableRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

/** The test project under src/test/resources/lakehouse, and reading a relation's rows in a comparable form. */
final class LakehouseProject {
    private LakehouseProject() {}

    static void copyTo(Path dir) {
        try {
            Path from = Path.of(LakehouseProject.class.getResource("/lakehouse").toURI());
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.toList()) {
                    Path to = dir.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) Files.createDirectories(to);
                    else Files.copy(f, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The models, seeds and snapshot the project builds, as schema.name. */
    static final List<String> RELATIONS = List.of("analytics.raw_contacts", "analytics.raw_deals", "analytics.raw_events",
            "analytics.contacts", "analytics.deals", "analytics.events_recent", "analytics.pipeline_by_stage",
            "analytics.campaign_funnel", "analytics.contact_activity", "analytics.events_log", "snapshots.contacts_snapshot",
            "analytics.labels", "analytics.quoting", "analytics.relations_listed", "analytics.events_by_kind");

    /** Every row of a relation as sorted text (see {@link ComparableRows}). */
    static List<String> rows(Connection c, String relation) throws SQLException {
        return ComparableRows.of(c, relation);
    }
}
