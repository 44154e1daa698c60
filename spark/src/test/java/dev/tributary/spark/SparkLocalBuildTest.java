package dev.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.transform.NodeResult;
import dev.tributary.transform.NodeStatus;
import dev.tributary.transform.RunSummary;
import dev.tributary.transform.TransformOptions;
import dev.tributary.transform.TransformProject;
import dev.tributary.transform.TransformRunner;
import dev.tributary.transform.spark.SparkRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lakehouse project (seeds, silver and gold models of every materialization, a snapshot, generic and singular
 * tests, data-quality checks) built on Spark local[2] over an embedded Iceberg catalog and on DuckDB, from the same
 * files by switching the target: the same results for every node and the same rows in every relation, on the first
 * build and on a second one after new and changed source rows (incremental merge and append, snapshot history).
 * One Spark application serves the whole class.
 */
class SparkLocalBuildTest {
    @TempDir
    static Path dir;

    @AfterAll
    static void stopSpark() {
        SparkRuntime.shutdown();
    }

    private static TransformProject load(String target) {
        return TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir).withTarget(target));
    }

    @Test
    void buildsTheSameRowsAsDuckDb() throws Exception {
        LakehouseProject.copyTo(dir);
        compareBuilds();
        try (Connection c = load("spark").target().connect()) {
            // standard SQL literals ('it''s'), escape_single_quotes and seed values with a quote or a backslash, as DuckDB reads them
            assertThat(LakehouseProject.rows(c, "analytics.quoting")).containsExactly(
                    "id=1, label=O'Brien's, doubled=it's, escaped=they're, is_obrien=true, empty=",
                    "id=2, label=plain, doubled=it's, escaped=they're, is_obrien=false, empty=",
                    "id=3, label=back\\slash, doubled=it's, escaped=they're, is_obrien=false, empty=");
            // list_relations_without_caching (adapter method and macro), check_schema_exists: show tables / show views on Spark
            assertThat(LakehouseProject.rows(c, "analytics.relations_listed")).containsExactly(
                    "from_adapter=contacts:table,events_recent:view,raw_events:table,"
                            + " from_macro=contacts:table:analytics,events_recent:view:analytics,raw_events:table:analytics,"
                            + " contact_columns=contact_id,email,company_id,updated_at, contacts_found=true, missing_found=false,"
                            + " schema_exists=true, other_schema_exists=false");
        }
        // a second day: new events, a changed contact: incremental models merge and append, the snapshot keeps history
        Files.writeString(dir.resolve("seeds/raw_events.csv"), "8,2,signup,spring,2024-01-20 10:00:00\n9,3,visit,summer,2024-01-21 11:00:00\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("seeds/raw_contacts.csv"), "4,dan@example.net,30,2024-01-22 12:00:00\n", java.nio.file.StandardOpenOption.APPEND);
        compareBuilds();
        try (Connection c = load("spark").target().connect()) {
            assertThat(LakehouseProject.rows(c, "snapshots.contacts_snapshot")).filteredOn(r -> r.contains("contact_id=4,")).hasSize(2);
            assertThat(LakehouseProject.rows(c, "analytics.contact_activity")).contains(
                    "contact_id=2, events=2, last_seen=2024-01-20T10:00");
            assertThat(LakehouseProject.rows(c, "analytics.events_log")).hasSize(9);
            // delete+insert: the contacts with new events recomputed whole (several rows per key), the others kept
            assertThat(LakehouseProject.rows(c, "analytics.events_by_kind")).contains(
                    "contact_id=2, kind=signup, events=1, last_event_id=8", "contact_id=2, kind=visit, events=1, last_event_id=3",
                    "contact_id=3, kind=visit, events=2, last_event_id=9", "contact_id=4, kind=purchase, events=1, last_event_id=7");
        }
    }

    private void compareBuilds() throws Exception {
        RunSummary duck = new TransformRunner(load("duck"), null).build();
        TransformProject sparkProject = load("spark");
        RunSummary spark = new TransformRunner(sparkProject, null).build();
        assertThat(statuses(spark)).as(spark.summaryLine() + " " + messages(spark)).isEqualTo(statuses(duck));
        assertThat(spark.exitCode()).as(messages(spark)).isZero();
        assertThat(spark.count(NodeStatus.WARN)).isPositive(); // the checks and the singular test that warn, on both
        try (Connection d = load("duck").target().connect(); Connection s = sparkProject.target().connect()) {
            for (String relation : LakehouseProject.RELATIONS) {
                assertThat(LakehouseProject.rows(s, relation)).as(relation).isNotEmpty().isEqualTo(LakehouseProject.rows(d, relation));
            }
        }
    }

    private static Map<String, NodeStatus> statuses(RunSummary r) {
        Map<String, NodeStatus> out = new TreeMap<>();
        for (NodeResult n : r.results()) out.put(n.name(), n.status());
        return out;
    }

    static String messages(RunSummary r) {
        StringBuilder b = new StringBuilder();
        for (NodeResult n : r.results()) {
            if (n.status() == NodeStatus.ERROR || n.status() == NodeStatus.FAIL) b.append("\n").append(n.name()).append(": ").append(n.message());
        }
        return b.toString();
    }
}
