package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Singer target conformance stream of {@code src/test/resources/singer-target-conformance} (the Meltano SDK's target test
 * streams) through {@code tributary target}, into DuckDB and PostgreSQL, with the outcomes its README lists: all load
 * except three, which fail naming the problem and commit nothing of their stream.
 */
class SingerTargetConformanceTest {
    static final Path STREAMS = locate();
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path dir;

    private String postgresUrl;
    private String prefix;

    /** The streams are kept in the test resources (copied with their README from the Meltano SDK, Apache-2.0), so a clean clone runs them. */
    static Path locate() {
        try {
            return Path.of(SingerTargetConformanceTest.class.getResource("/singer-target-conformance/README.md").toURI()).getParent();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("the conformance streams are missing from cli/src/test/resources/singer-target-conformance", e);
        }
    }

    @AfterEach
    void dropSchemas() {
        if (postgresUrl == null) return;
        for (String schema : List.of("conf", "tributary")) TestDatabases.dropPostgresSchema(postgresUrl, prefix + schema);
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgres"})
    void everyConformanceStreamHasTheOutcomeTheReadmeLists(String warehouse) throws Exception {
        assertThat(STREAMS.resolve("README.md")).exists();
        String destination;
        if (warehouse.equals("duckdb")) {
            destination = "{type: duckdb}";
        } else {
            postgresUrl = TestDatabases.postgresUrl();
            prefix = "st_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
            destination = "{type: postgres, url: \"" + postgresUrl + "\", schema_prefix: " + prefix + "}";
        }
        Files.writeString(dir.resolve("tributary.yml"), "destination: " + destination + "\nconnections: {}\n");
        CliRunner cli = new CliRunner(dir, Map.of());

        List<String> loads = List.of("array_data", "camelcase", "camelcase_complex_schema", "duplicate_records", "encoded_string_data",
                "multiple_state_messages", "no_primary_keys", "no_primary_keys_append", "optional_attributes", "pk_updates",
                "record_missing_fields", "record_missing_required_property", "schema_no_properties", "schema_updates",
                "special_chars_in_attributes", "user_location_data", "user_location_upsert_data");
        for (String name : loads) {
            if (name.equals("encoded_string_data") && warehouse.equals("postgres")) {
                // PostgreSQL text cannot hold U+0000: refused loudly, naming line and column, unless replacement is asked for
                CliRunner.Result refused = target(cli, name);
                assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
                assertThat(refused.err()).contains("encoded_string_data.singer line").contains("U+0000");
                assertThat(refused.out()).isEmpty();
            }
            CliRunner.Result r = warehouse.equals("postgres") && name.equals("encoded_string_data") ? target(cli, name, "--replace-nul") : target(cli, name);
            if (warehouse.equals("postgres") && name.equals("encoded_string_data")) assertThat(r.err()).contains("U+0000 replaced by U+FFFD in");
            assertThat(r.exitCode()).as(name + ": " + r).isZero();
            List<String> statesIn = Files.readAllLines(STREAMS.resolve(name + ".singer")).stream().filter(l -> l.contains("\"STATE\"")).toList();
            List<String> statesOut = r.out().lines().toList();
            assertThat(statesOut).as(name + ": every STATE passed on, in order").hasSize(statesIn.size());
            for (int i = 0; i < statesIn.size(); i++) {
                assertThat(JSON.readTree(statesOut.get(i)).get("value")).isEqualTo(JSON.readTree(statesIn.get(i)).get("value"));
            }
        }
        Map<String, String> fails = Map.of(
                "invalid_schema", "SCHEMA of stream 'test_invalid_schema' is invalid: 'schema' has no 'properties'",
                "record_before_schema", "line 1: RECORD of stream 'test_record_before_schema' before its SCHEMA",
                "record_missing_key_property", "line 2: record of stream 'test_record_missing_key_property' has no value for key property 'id'");
        for (Map.Entry<String, String> f : fails.entrySet()) {
            CliRunner.Result r = target(cli, f.getKey());
            assertThat(r.exitCode()).as(f.getKey() + ": " + r).isEqualTo(1);
            assertThat(r.err()).as(f.getKey()).contains(f.getValue());
            assertThat(r.out()).as(f.getKey() + ": no STATE passed on").isEmpty();
        }

        try (Connection c = connect(warehouse); Statement st = c.createStatement()) {
            String s = warehouse.equals("duckdb") ? "conf" : prefix + "conf";
            List<String> tables = strings(st, "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + s + "' ORDER BY 1");
            assertThat(tables).noneMatch(t -> t.contains("invalid_schema") || t.contains("record_before_schema"));
            if (tables.contains("test_record_missing_key_property")) {
                assertThat(strings(st, "SELECT count(*) FROM " + s + ".test_record_missing_key_property")).containsExactly("0");
            }
            // duplicate keys: last record wins
            assertThat(strings(st, "SELECT id || ':' || metric FROM " + s + ".test_duplicate_records ORDER BY id")).containsExactly("1:100", "2:20");
            // no keys: appended, 3 + 5 rows
            assertThat(strings(st, "SELECT count(*) FROM " + s + ".test_no_pk")).containsExactly("8");
            assertThat(strings(st, "SELECT count(*) FROM " + s + ".test_multiple_state_messages_a")).containsExactly("6");
            // schema updates: the columns added along the way are there, every row loaded
            assertThat(strings(st, "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + s
                    + "' AND table_name = 'test_schema_updates'")).contains("a1", "a2", "a3", "a4", "a5", "a6");
            assertThat(strings(st, "SELECT count(*) FROM " + s + ".test_schema_updates")).containsExactly("6");
            // upserts across streams: user 1 renamed, new users added, no duplicates
            assertThat(strings(st, "SELECT name FROM " + s + ".test_users WHERE id = 1")).containsExactly("Johny");
            assertThat(strings(st, "SELECT count(*) - count(DISTINCT id) FROM " + s + ".test_users")).containsExactly("0");
            assertThat(strings(st, "SELECT count(*) FROM " + s + ".test_strings")).containsExactly("11");
        }
        // STATE of the multiple_state_messages stream was committed with its data
        CliRunner.Result states = cli.run("state", "show", "--json");
        assertThat(states.out()).as(states.toString()).contains("test_multiple_state_messages_a").doesNotContain("test_record_missing_key_property\"");
    }

    private static CliRunner.Result target(CliRunner cli, String name, String... more) {
        List<String> args = new ArrayList<>(List.of("target", "--connection", "conf", "--input", STREAMS.resolve(name + ".singer").toString()));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    private Connection connect(String warehouse) throws SQLException {
        return warehouse.equals("duckdb") ? DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb")) : DriverManager.getConnection(postgresUrl);
    }

    private static List<String> strings(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
