package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jaffle shop on a real Snowflake account, in a schema of its own that it drops afterwards. Runs only when
 * SNOWFLAKE_ACCOUNT is set, with SNOWFLAKE_USER, SNOWFLAKE_PASSWORD (or SNOWFLAKE_PRIVATE_KEY_PATH and optionally
 * SNOWFLAKE_PRIVATE_KEY_PASSPHRASE), SNOWFLAKE_DATABASE, SNOWFLAKE_WAREHOUSE and optionally SNOWFLAKE_ROLE; skipped
 * otherwise, which is always the case in CI (no account exists).
 */
@EnabledIfEnvironmentVariable(named = "SNOWFLAKE_ACCOUNT", matches = ".+")
class SnowflakeLiveTest {
    @TempDir
    Path dir;

    @Test
    void theJaffleShopBuildsOnLiveSnowflake() throws Exception {
        Fixtures.copy("jaffle", dir);
        String schema = "TRIBUTARY_LIVE_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
        // the fixture's snapshot goes to a schema of this run too, never a shared one
        Path snapshot = dir.resolve("snapshots/orders_snapshot.sql");
        Files.writeString(snapshot, Files.readString(snapshot).replace("target_schema='snapshots'", "target_schema='" + schema + "_SNAPSHOTS'"));
        boolean keyPair = System.getenv("SNOWFLAKE_PRIVATE_KEY_PATH") != null;
        String auth = keyPair
                ? "private_key_path: \"{{ env_var('SNOWFLAKE_PRIVATE_KEY_PATH') }}\"\n      private_key_passphrase: \"{{ env_var('SNOWFLAKE_PRIVATE_KEY_PASSPHRASE', '') }}\""
                : "password: \"{{ env_var('SNOWFLAKE_PASSWORD') }}\"";
        Files.writeString(dir.resolve("profiles.yml"), """
                jaffle_shop:
                  target: live
                  outputs:
                    live:
                      type: snowflake
                      account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"
                      user: "{{ env_var('SNOWFLAKE_USER') }}"
                      %s
                      role: "{{ env_var('SNOWFLAKE_ROLE', 'SYSADMIN') }}"
                      warehouse: "{{ env_var('SNOWFLAKE_WAREHOUSE') }}"
                      database: "{{ env_var('SNOWFLAKE_DATABASE') }}"
                      schema: %s
                      threads: 4
                """.formatted(auth, schema));
        TransformProject project = TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir));
        try {
            RunSummary r = new TransformRunner(project, ProgressListener.NONE).build();
            assertThat(r.results()).allSatisfy(x -> assertThat(x.status()).as(x.name() + ": " + x.message()).isIn(NodeStatus.SUCCESS, NodeStatus.PASS));
            assertThat(SnowflakeSandboxBuildTest.rows(project.target(), "select customer_id, number_of_orders, customer_lifetime_value from %s.customers order by 1").toString())
                    .isEqualTo("[[1, 3, 28], [2, 2, 48], [3, 2, 37], [4, 1, 6], [5, 0, 0]]");
        } finally {
            try (var c = project.target().connect(); var s = c.createStatement()) {
                s.execute("drop schema if exists " + schema + " cascade");
                s.execute("drop schema if exists " + schema + "_SNAPSHOTS cascade");
            }
        }
    }
}
