package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JaffleShopDuckDbTest {
    @TempDir
    Path dir;

    private TransformProject load(TransformOptions options) {
        return TransformProject.load(dir, options.withProfilesDir(dir));
    }

    @Test
    void buildsTheJaffleShopUnmodified() throws Exception {
        Fixtures.copy("jaffle", dir);
        List<String> lines = new ArrayList<>();
        ProgressListener collect = new ProgressListener() {
            @Override
            public synchronized void nodeStarted(Node node, int index, int total) {
                lines.add(ProgressLines.start(node, index, total));
            }

            @Override
            public synchronized void nodeFinished(Node node, NodeResult result, int index, int total) {
                lines.add(ProgressLines.finish(node, result, index, total));
            }
        };
        TransformProject project = load(TransformOptions.defaults());
        assertThat(project.target().threads()).isEqualTo(4);
        RunSummary r = new TransformRunner(project, collect).build();
        assertThat(r.results()).allSatisfy(x -> assertThat(x.status()).as(x.name() + ": " + x.message()).isIn(NodeStatus.SUCCESS, NodeStatus.PASS));
        assertThat(r.exitCode()).isZero();
        assertThat(r.summaryLine()).startsWith("Done. PASS=").contains("ERROR=0 SKIP=0");
        assertThat(lines).anyMatch(l -> l.matches("\\d+ of \\d+ START sql table model main\\.customers \\.+ \\[RUN]"));
        assertThat(lines).anyMatch(l -> l.contains("OK created sql view model main.stg_orders") && l.contains("[CREATE VIEW in "));
        String url = project.target().jdbcUrl();
        // values computed by hand from the seeds: customer 1 has orders 1, 3, 7 paying 10 + 2 + 16
        assertThat(Fixtures.query(url, "select customer_id, number_of_orders, cast(customer_lifetime_value as double) from main.customers order by customer_id").toString())
                .isEqualTo("[[1, 3, 28.0], [2, 2, 48.0], [3, 2, 37.0], [4, 1, 6.0], [5, 0, 0.0]]");
        assertThat(new BigDecimal(String.valueOf(Fixtures.scalar(url, "select sum(amount) from main.orders")))).isEqualByComparingTo("119");
        assertThat(Fixtures.query(url, "select cast(coupon_amount as double), cast(gift_card_amount as double), cast(amount as double) from main.orders where order_id = 3").toString()).isEqualTo("[[1.0, 1.0, 2.0]]");
        assertThat(Fixtures.scalar(url, "select table_type from information_schema.tables where table_name = 'stg_orders'")).isEqualTo("VIEW");
        assertThat(Fixtures.scalar(url, "select count(*) from information_schema.tables where table_name = 'order_payments'")).isEqualTo(0L);
        assertThat(Fixtures.scalar(url, "select count(*) from snapshots.orders_snapshot")).isEqualTo(8L);
        assertThat(Fixtures.scalar(url, "select count(*) from main.payments_incremental")).isEqualTo(9L);
        assertThat(Files.readString(dir.resolve("target/manifest.json"))).contains("\"model.jaffle_shop.customers\"").contains("__dbt__cte__order_payments");
        assertThat(Files.readString(dir.resolve("target/run_results.json"))).contains("\"status\" : \"pass\"").contains("\"execution_time\"");
        assertThat(r.results().stream().filter(x -> x.resourceType() == ResourceType.TEST)).hasSize(17);
        assertThat(r.results().stream().filter(x -> x.resourceType() == ResourceType.CHECK)).hasSize(2);
        assertThat(Fixtures.scalar(url, "select count(*) from main_tributary.check_results")).isEqualTo(2L);
    }
}
