package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.snowflake.SnowflakeSandbox;
import dev.tributary.sandbox.snowflake.SnowflakeSandboxOptions;
import dev.tributary.transform.dialect.SnowflakeDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jaffle shop (seeds, staging views, an ephemeral model, tables, an incremental merge, a check snapshot, tests and
 * checks) built with {@code -t snowflake} through the real Snowflake driver against the local Snowflake sandbox gives
 * the same rows as built on DuckDB.
 */
class SnowflakeSandboxBuildTest {
    @TempDir
    Path dir;

    private static final String[] QUERIES = {
        "select customer_id, first_name, last_name, first_order, most_recent_order, number_of_orders, customer_lifetime_value from %s.customers order by customer_id",
        "select order_id, customer_id, order_date, status, credit_card_amount, coupon_amount, bank_transfer_amount, gift_card_amount, amount from %s.orders order by order_id",
        "select payment_id, order_id, payment_method, amount from %s.payments_incremental order by payment_id",
        "select id, status, dbt_valid_to is null from snapshots.orders_snapshot order by id, dbt_valid_from",
    };

    @Test
    void theJaffleShopBuildsOnTheSandboxWithDuckDbsRows() throws Exception {
        Fixtures.copy("jaffle", dir);
        try (SnowflakeSandbox snowflake = SnowflakeSandbox.start(SnowflakeSandboxOptions.defaults().withUser("dbt_user", "s3cret-pw"))) {
            Files.writeString(dir.resolve("profiles.yml"), """
                    jaffle_shop:
                      target: duck
                      outputs:
                        duck:
                          type: duckdb
                          path: jaffle.duckdb
                          schema: analytics
                          threads: 4
                        sf:
                          type: snowflake
                          account: sandbox
                          user: dbt_user
                          password: "{{ env_var('TRIBUTARY_TEST_SNOWFLAKE_PASSWORD', 's3cret-pw') }}"
                          role: transformer
                          warehouse: transforming
                          database: tributary
                          schema: analytics
                          host: 127.0.0.1
                          port: %d
                          protocol: http
                          threads: 4
                    """.formatted(snowflake.port()));
            TransformProject duck = TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir).withTarget("duck"));
            TransformProject sf = TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir).withTarget("sf"));
            assertThat(sf.target().dialect()).isInstanceOf(SnowflakeDialect.class);
            assertThat(sf.target().database()).isEqualTo("tributary");
            assertThat(sf.target().toString()).doesNotContain("s3cret-pw");

            assertBuilt(new TransformRunner(duck, ProgressListener.NONE).build());
            assertBuilt(new TransformRunner(sf, ProgressListener.NONE).build());
            assertThat(rows(sf.target(), QUERIES)).isEqualTo(rows(duck.target(), QUERIES)).isNotEmpty();

            // a second build: the incremental model merges, the snapshot compares, the tables are replaced in place
            assertBuilt(new TransformRunner(sf, ProgressListener.NONE).build());
            assertBuilt(new TransformRunner(duck, ProgressListener.NONE).build());
            assertThat(rows(sf.target(), QUERIES)).isEqualTo(rows(duck.target(), QUERIES));

            try (Connection c = sf.target().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select table_name, table_type from information_schema.tables where table_schema = 'ANALYTICS' and table_name in ('CUSTOMERS', 'STG_ORDERS') order by 1")) {
                List<String> kinds = new ArrayList<>();
                while (rs.next()) kinds.add(rs.getString(1) + " " + rs.getString(2));
                assertThat(kinds).containsExactly("CUSTOMERS BASE TABLE", "STG_ORDERS VIEW"); // unquoted names, upper-case as dbt-snowflake makes them
            }
        }
    }

    private static void assertBuilt(RunSummary r) {
        assertThat(r.results()).allSatisfy(x -> assertThat(x.status()).as(x.name() + ": " + x.message()).isIn(NodeStatus.SUCCESS, NodeStatus.PASS));
        assertThat(r.exitCode()).isZero();
    }

    /** Every row of every query as text, numbers normalised (DuckDB and Snowflake scale decimals alike but print them apart). */
    static List<List<String>> rows(WarehouseTarget target, String... queries) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = target.connect(); Statement s = c.createStatement()) {
            for (String q : queries) {
                try (ResultSet rs = s.executeQuery(q.formatted(target.schema()))) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            Object v = rs.getObject(i);
                            row.add(v instanceof Number n ? new java.math.BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
                                    : v instanceof java.util.Date d ? d.toString().substring(0, 10) : String.valueOf(v));
                        }
                        out.add(row);
                    }
                }
            }
        }
        return out;
    }
}
