package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vendor-style source package (src/test/resources/vendor_src) run as a user runs it: its integration-test project
 * installs it with {@code local: ../}, then {@code seed} and {@code build} with {@code --vars load_source_data: true}.
 * Source schema, database and identifiers come from vars, models are enabled by vars (one disabled: neither built nor
 * tested), and every row count is checked against the seeds, so a name that resolved to nothing fails.
 */
class VendorSourcePackageTest {
    @TempDir
    Path dir;

    private static final Map<String, Object> LOAD = Map.of("load_source_data", true);

    private Path copyProject() {
        return Fixtures.copy("vendor_src", dir.resolve("vendor_src")).resolve("integration_tests");
    }

    @Test
    void seedsAndBuildsOnDuckDb() {
        Path project = copyProject();
        String url = "jdbc:duckdb:" + dir.resolve("vendor_wh.duckdb").toAbsolutePath();
        TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(dir.resolve("vendor_wh.duckdb"), "main", 2));

        // without the var, dbt_project.yml's `+enabled: "{{ var('load_source_data', false) }}"` disables the seeds
        assertThat(new TransformRunner(TransformProject.load(project, options), null).seed().results()).isEmpty();

        TransformOptions withVars = options.withVars(LOAD);
        RunSummary seeded = new TransformRunner(TransformProject.load(project, withVars), null).seed();
        assertThat(seeded.results()).extracting(NodeResult::name).containsExactlyInAnyOrder("vendor_contact_data", "vendor_deal_data");
        RunSummary built = new TransformRunner(TransformProject.load(project, withVars), null).build();
        verify(built, url, "main", "vendor_wh", project);

        // target and env_var rendered in dbt_project.yml: +tags: ["{{ target.type }}_{{ env_var('VENDOR_TAG', 'local') }}"]
        List<String> tagged = new TransformRunner(TransformProject.load(project, withVars.withSelect("tag:duckdb_local")), null).ls();
        assertThat(tagged).containsExactly("vendor_src_integration_tests.vendor_summary");
    }

    @Test
    void seedsAndBuildsOnPostgres() {
        String url = TestDatabases.postgresUrl();
        String schema = TestDatabases.createPostgresSchema(url, "tr_vendor_src");
        try {
            Path project = copyProject();
            TransformOptions options = TransformOptions.defaults().withWarehouse(WarehouseTarget.of("postgres", url, schema, null, null).withThreads(2)).withVars(LOAD);
            new TransformRunner(TransformProject.load(project, options), null).seed();
            RunSummary built = new TransformRunner(TransformProject.load(project, options), null).build();
            verify(built, url, schema, "test", project);
        } finally {
            TestDatabases.dropPostgresSchema(url, schema);
            TestDatabases.dropPostgresSchema(url, schema + "_vendor_stg");
            TestDatabases.dropPostgresSchema(url, schema + "_dbt_test__audit");
        }
    }

    private static void verify(RunSummary r, String url, String schema, String database, Path project) {
        assertThat(r.exitCode()).as(r.results().toString()).isZero();
        String stg = schema + "_vendor_stg";
        // rows as in the seeds: the source's rendered identifier was found (an empty or all-null model fails here)
        assertThat(Fixtures.query(url, "select count(*), count(email), count(owner_id), sum(case when is_deleted then 1 else 0 end) from "
                + stg + ".stg_vendor__contact").toString()).isEqualTo("[[4, 4, 3, 0]]");
        assertThat(Fixtures.query(url, "select email from " + stg + ".stg_vendor__contact where contact_id = 1").toString()).isEqualTo("[[ann@example.com]]");
        assertThat(Fixtures.query(url, "select count(*) from " + stg + ".stg_vendor__deal").toString()).isEqualTo("[[3]]");
        // source().database/schema/identifier are the rendered values; target.database and this.database the real catalog
        assertThat(Fixtures.query(url, "select distinct source_relation from " + stg + ".stg_vendor__contact").toString())
                .isEqualTo("[[" + database + "." + schema + ".vendor_contact_data]]");
        assertThat(Fixtures.query(url, "select contacts, contacts_with_email, deals, source_tables, this_database, target_database from "
                + schema + ".vendor_summary").toString()).isEqualTo("[[4, 4, 3, 2, " + database + ", " + database + "]]");

        // the engagement model is disabled by a var: not built, its tests and its source's tests disabled, not errors
        assertThat(r.results()).extracting(NodeResult::name).noneMatch(n -> n.contains("engagement"));
        assertThat(Fixtures.query(url, "select count(*) from information_schema.tables where table_name = 'stg_vendor__engagement'").toString()).isEqualTo("[[0]]");
        // the package's tests ran: unique and not_null on the staging models, a relationships test, the source tests,
        // and the integration project's singular test comparing row counts with the source
        assertThat(r.results()).extracting(NodeResult::name).contains("unique_stg_vendor__contact_contact_id", "not_null_stg_vendor__deal_deal_id",
                "not_null_source_vendor_contact_contact_id", "unique_source_vendor_deal_deal_id", "contacts_match_seed");
        assertThat(r.results()).filteredOn(n -> n.name().startsWith("relationships_stg_vendor__cont")).hasSize(1);
        assertThat(r.results()).filteredOn(n -> n.resourceType() == ResourceType.TEST).allMatch(n -> n.status() == NodeStatus.PASS);

        // compiled SQL of the package (outside the project folder) stays under target/compiled/<package>/
        Path compiled = project.resolve("target/compiled");
        assertThat(compiled.resolve("vendor_src/models/stg_vendor__contact.sql")).exists();
        assertThat(compiled.resolve("vendor_src/models/unique_stg_vendor__contact_contact_id.sql")).exists();
        assertThat(compiled.resolve("vendor_src_integration_tests/tests/contacts_match_seed.sql")).exists();
        try (Stream<Path> s = Files.walk(project.getParent())) {
            assertThat(s.filter(p -> p.toString().endsWith(".sql") && p.toString().contains("compiled")).allMatch(p -> p.startsWith(compiled))).isTrue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
