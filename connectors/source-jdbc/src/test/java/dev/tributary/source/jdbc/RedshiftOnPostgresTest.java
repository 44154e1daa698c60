package dev.tributary.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import dev.tributary.spi.SyncMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The redshift source against PostgreSQL 15, which speaks the same protocol and has the information_schema views it
 * reads: its catalog queries, the OR-expanded keyset conditions and the read-only transaction run for real here.
 * Redshift-only types (SUPER, GEOMETRY...) and Redshift's own behaviour are not covered; see the README.
 */
class RedshiftOnPostgresTest {
    @Test
    void discoversReadsAndResumesThroughInformationSchema() {
        try (TestDb db = TestDb.postgres("jdbc_redshift")) {
            db.execute("CREATE TABLE campaigns (channel varchar(20), id bigint, budget numeric(12,2), active boolean, starts date,"
                            + " updated_at timestamptz NOT NULL, notes text, PRIMARY KEY (channel, id))",
                    "INSERT INTO campaigns SELECT (ARRAY['email','search','social'])[g % 3 + 1], g, g * 10.5, g % 2 = 0, date '2024-01-01' + g,"
                            + " timestamptz '2024-05-01 00:00:00+00' + (g / 5) * interval '1 day', NULL FROM generate_series(1, 17) g",
                    "CREATE VIEW active_campaigns AS SELECT id, channel FROM campaigns WHERE active");
            RedshiftSource source = new RedshiftSource();
            String url = db.url().replace("jdbc:postgresql:", "jdbc:redshift:");
            Config config = TestDb.config(java.util.Map.of("url", url, "schemas", List.of(db.schema()), "batch_size", 4,
                    "overrides", java.util.Map.of("campaigns", java.util.Map.of("cursor", "updated_at"))));
            Schema schema = source.discover(config).stream(db.stream("campaigns")).orElseThrow().schema();
            assertThat(schema).isEqualTo(new Schema(List.of(new Field("channel", DataType.TEXT, false), new Field("id", DataType.INTEGER, false),
                    new Field("budget", DataType.DECIMAL, true), new Field("active", DataType.BOOLEAN, true), new Field("starts", DataType.DATE, true),
                    new Field("updated_at", DataType.TIMESTAMP_TZ, false), new Field("notes", DataType.TEXT, true)), List.of("channel", "id")));
            assertThat(source.discover(config).stream(db.stream("active_campaigns"))).isPresent();

            var stream = Reads.configured(source, config, db.stream("campaigns"), SyncMode.INCREMENTAL);
            Reads all = Reads.read(source, config, stream, Optional.empty());
            assertThat(all.records()).hasSize(17);
            assertThat(all.rows().get(0).get("updated_at")).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
            assertThat(all.rows().get(0).get("budget")).isInstanceOf(BigDecimal.class);
            for (int stopAfter = 1; stopAfter <= 4; stopAfter++) {
                Reads first = Reads.readSome(source, config, stream, Optional.empty(), stopAfter);
                Reads rest = Reads.read(source, config, stream, first.lastCheckpoint());
                List<Object> ids = new ArrayList<>(first.column("id"));
                ids.addAll(rest.column("id"));
                assertThat(ids).as("stopped after %d", stopAfter).isEqualTo(all.column("id"));
            }

            CheckResult check = source.check(config);
            assertThat(check.ok()).isTrue();
            assertThat(check.message()).startsWith("connected to Redshift PostgreSQL 15").contains("2 tables and views");
        }
    }
}
