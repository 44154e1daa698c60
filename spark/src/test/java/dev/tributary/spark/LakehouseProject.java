package dev.tributary.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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

    /**
     * Every row of a relation as text, sorted: numbers by value (1200.50 and 1200.5 alike), timestamps and dates in ISO
     * form, so DuckDB's and Spark's rows compare equal when they hold the same values.
     */
    static List<String> rows(Connection c, String relation) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from " + relation)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getMetaData().getColumnName(i).toLowerCase() + "=" + text(rs.getObject(i)));
                out.add(String.join(", ", row));
            }
        }
        out.sort(null);
        return out;
    }

    private static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof java.sql.Timestamp t) return t.toLocalDateTime().toString();
        if (v instanceof java.time.OffsetDateTime t) return t.toLocalDateTime().toString();
        if (v instanceof java.sql.Date d) return d.toLocalDate().toString();
        if (v instanceof BigDecimal b) return b.stripTrailingZeros().toPlainString();
        if (v instanceof Double || v instanceof Float) return new BigDecimal(v.toString()).stripTrailingZeros().toPlainString();
        if (v instanceof Number num) return new BigDecimal(num.toString()).toPlainString();
        return v.toString();
    }
}
