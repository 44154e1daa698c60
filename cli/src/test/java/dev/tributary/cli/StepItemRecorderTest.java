package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.project.Connectors;
import dev.tributary.scheduler.StepContext;
import dev.tributary.scheduler.StepDef;
import dev.tributary.scheduler.StepItem;
import dev.tributary.scheduler.StepKind;
import dev.tributary.scheduler.StepOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serve's steps record their streams and models as items while they go, and a build takes the run's vars. */
class StepItemRecorderTest {
    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<StepItem> items = new CopyOnWriteArrayList<>();

    private record RecordingContext(StepDef step, List<String> log, List<StepItem> items, Map<String, String> vars) implements StepContext {
        @Override
        public String pipeline() {
            return "p";
        }

        @Override
        public long runId() {
            return 7;
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public void log(String system, String message) {
            log.add("[" + system + "] " + message);
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable action) {}

        @Override
        public void item(StepItem item) {
            items.add(item);
        }
    }

    private StepOutcome run(StepKind kind, Map<String, String> vars) throws Exception {
        TributaryCommand root = new TributaryCommand(Map.of(), Connectors.discover());
        root.projectDir = dir;
        StepDef step = new StepDef(kind.name().toLowerCase() + "-1", kind, List.of(), false, Map.of(), List.of(), Optional.empty());
        return new ProjectStepExecutor(root).execute(new RecordingContext(step, log, items, vars));
    }

    @Test
    void aSyncRecordsEachStreamWithItsCounts() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/orders.csv"), "id,amount\n1,10\n2,20\n3,30\n");
        Files.writeString(dir.resolve("tributary.yml"), """
                name: shop
                destination: {type: duckdb, path: warehouse.duckdb}
                connections:
                  files:
                    type: files
                    config:
                      streams:
                        - {name: orders, path: "data/orders.csv", format: csv, primary_key: [id]}
                """);
        StepOutcome outcome = run(StepKind.SYNC, Map.of());
        assertThat(outcome.ok()).as(log.toString()).isTrue();
        List<StepItem> orders = items.stream().filter(i -> i.name().equals("files.orders")).toList();
        assertThat(orders).extracting(StepItem::status).containsExactly("running", "succeeded");
        StepItem done = orders.get(1);
        assertThat(done.kind()).isEqualTo("stream");
        assertThat(done.runId()).isEqualTo(7);
        assertThat(done.step()).isEqualTo("sync-1");
        assertThat(done.rows()).isEqualTo(3);
        assertThat(done.resumed()).isFalse();
        assertThat(done.startedAt()).isPresent();
        assertThat(done.endedAt()).isPresent();
        assertThat(done.message()).isEmpty();
    }

    @Test
    void aBuildRecordsEachNodeWithRowsAndTheDatabasesMessageAndTakesTheRunsVars() throws Exception {
        Files.writeString(dir.resolve("tributary.yml"), "name: shop\ndestination: {type: duckdb, path: warehouse.duckdb}\n");
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/days.sql"), "{{ config(materialized='table') }}\n"
                + "select d::date as day from range(date '{{ var(\"start_date\") }}', date '{{ var(\"end_date\") }}', interval 1 day) t(d)\n");
        Files.writeString(dir.resolve("models/broken.sql"), "select no_such_column from {{ ref('days') }}\n");
        StepOutcome outcome = run(StepKind.BUILD, Map.of("start_date", "2026-01-01", "end_date", "2026-01-11"));
        assertThat(outcome.ok()).as(log.toString()).isFalse();
        StepItem days = items.stream().filter(i -> i.name().equals("days") && !i.live()).findFirst().orElseThrow(() -> new AssertionError(items + "\n" + log));
        assertThat(days.kind()).isEqualTo("model");
        assertThat(days.status()).isEqualTo("success");
        assertThat(days.rows()).as(days.toString()).isEqualTo(10);
        StepItem broken = items.stream().filter(i -> i.name().equals("broken") && !i.live()).findFirst().orElseThrow();
        assertThat(broken.status()).isEqualTo("error");
        assertThat(broken.message()).hasValueSatisfying(m -> assertThat(m).contains("Database Error in model broken").containsIgnoringCase("no_such_column"));
        assertThat(items).anyMatch(i -> i.name().equals("days") && i.status().equals("running"));
    }
}
