package dev.tributary.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build waits out another process that holds the DuckDB file briefly (a reader), as a sync does. */
class BusyWarehouseDuckDbTest {
    @TempDir
    Path dir;

    @Test
    void aBuildWhileAnotherProcessBrieflyReadsTheFileSucceeds() throws Exception {
        Fixtures.project(dir, "models/one.sql", "{{ config(materialized='table') }}\nselect 1 as id");
        TransformOptions options = Fixtures.duck(dir);
        RunSummary first = new TransformRunner(TransformProject.load(dir, options), null).build();
        assertThat(first.exitCode()).isZero();
        Process reader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), DuckDbReaderHold.class.getName(), dir.resolve("w.duckdb").toString(), "3000")
                .redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(reader.getInputStream())).readLine()).isEqualTo("holding");
            RunSummary r = new TransformRunner(TransformProject.load(dir, options), null).build();
            assertThat(r.exitCode()).as(r.summaryLine()).isZero();
            assertThat(Fixtures.query(options.warehouse().jdbcUrl(), "select id from main.one")).containsExactly(java.util.List.of(1));
        } finally {
            assertThat(reader.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
