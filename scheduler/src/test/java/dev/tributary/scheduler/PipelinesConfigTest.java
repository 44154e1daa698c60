package dev.tributary.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.project.Environment;
import dev.tributary.project.YamlDocument;
import dev.tributary.spi.ConfigException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelinesConfigTest {
    private static final Set<String> CONNECTIONS = Set.of("hubspot", "product_db");

    static Map<String, PipelineDef> parse(String yaml) {
        YamlDocument doc = YamlDocument.parse("tributary.yml", yaml, Environment.of(Map.of()));
        return PipelinesConfig.parse(doc.config().detached("pipelines"), CONNECTIONS);
    }

    private static ConfigException error(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    @Test
    void readsTheDocumentedExample() {
        Map<String, PipelineDef> pipelines = parse("""
                pipelines:
                  revops:
                    description: HubSpot and product DB, then models
                    schedule: "0 7 * * *"
                    timezone: Europe/London
                    catch_up: false
                    retries: {max: 3, backoff: 30s, max_backoff: 10m}
                    freshness: 26h
                    steps:
                      - sync: [hubspot, product_db]
                        parallel: false
                      - build: "+team_spending"
                      - checks: all
                      - export: {model: leads_per_month, path: exports/leads_per_month.parquet}
                        name: export-leads
                        depends_on: [build-2]
                        retries: {max: 5}
                  hourly:
                    every: 5m
                    steps:
                      - sync:
                  by_hand:
                    steps:
                      - run: [a, b]
                        full_refresh: true
                """);
        assertThat(pipelines.keySet()).containsExactly("revops", "hourly", "by_hand");
        PipelineDef revops = pipelines.get("revops");
        assertThat(revops.description()).isEqualTo("HubSpot and product DB, then models");
        assertThat(revops.trigger()).isEqualTo(new Trigger.Cron("0 7 * * *", ZoneId.of("Europe/London")));
        assertThat(revops.catchUp()).isFalse();
        assertThat(revops.retry()).isEqualTo(new RetrySettings(3, Duration.ofSeconds(30), Duration.ofMinutes(10)));
        assertThat(revops.freshness()).contains(Duration.ofHours(26));
        assertThat(revops.steps()).extracting(StepDef::name).containsExactly("sync-1", "build-2", "checks-3", "export-leads");
        StepDef sync = revops.steps().get(0);
        assertThat(sync.kind()).isEqualTo(StepKind.SYNC);
        assertThat(sync.targets()).containsExactly("hubspot", "product_db");
        assertThat(sync.parallel()).isFalse();
        assertThat(sync.dependsOn()).isEmpty();
        assertThat(revops.steps().get(1).targets()).containsExactly("+team_spending");
        assertThat(revops.steps().get(1).dependsOn()).containsExactly("sync-1");
        assertThat(revops.steps().get(2).targets()).isEmpty();
        StepDef export = revops.steps().get(3);
        assertThat(export.options()).isEqualTo(Map.of("model", "leads_per_month", "path", "exports/leads_per_month.parquet", "format", "parquet"));
        assertThat(export.dependsOn()).containsExactly("build-2");
        assertThat(export.retry()).contains(new RetrySettings(5, Duration.ofSeconds(30), Duration.ofMinutes(10)));
        assertThat(revops.steps().get(1).retry()).isEmpty();

        PipelineDef hourly = pipelines.get("hourly");
        assertThat(hourly.trigger()).isEqualTo(new Trigger.Interval(Duration.ofMinutes(5)));
        assertThat(hourly.catchUp()).isTrue();
        assertThat(hourly.retry()).isEqualTo(RetrySettings.DEFAULT);
        assertThat(hourly.freshness()).isEmpty();
        assertThat(hourly.steps().get(0).targets()).isEmpty();
        assertThat(hourly.steps().get(0).parallel()).isTrue();

        PipelineDef byHand = pipelines.get("by_hand");
        assertThat(byHand.trigger()).isEqualTo(new Trigger.Manual());
        assertThat(byHand.steps().get(0).options()).containsEntry("full_refresh", "true");
    }

    @Test
    void cronWithoutTimeZoneIsUtcAndDurationsTakeEveryUnit() {
        PipelineDef p = parse("""
                pipelines:
                  a:
                    schedule: "*/15 * * * *"
                    steps: [{build: ""}]
                """).get("a");
        assertThat(p.trigger()).isEqualTo(new Trigger.Cron("*/15 * * * *", ZoneOffset.UTC));
        assertThat(p.steps().get(0).targets()).isEmpty();
        assertThat(PipelinesConfig.parseDuration("300")).isEqualTo(Duration.ofSeconds(300));
        assertThat(PipelinesConfig.parseDuration("300s")).isEqualTo(Duration.ofSeconds(300));
        assertThat(PipelinesConfig.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(PipelinesConfig.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(PipelinesConfig.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(parse("pipelines: {b: {every: 300, steps: [{sync: hubspot}]}}").get("b").trigger())
                .isEqualTo(new Trigger.Interval(Duration.ofSeconds(300)));
    }

    @Test
    void noPipelinesSectionIsNoPipelines() {
        assertThat(parse("name: x\n")).isEmpty();
    }

    @Test
    void explicitEmptyDependsOnRunsTheStepAtTheStart() {
        PipelineDef p = parse("""
                pipelines:
                  a:
                    steps:
                      - sync: hubspot
                      - sync: product_db
                        depends_on: []
                """).get("a");
        assertThat(p.steps().get(1).dependsOn()).isEmpty();
    }

    @Test
    void unknownKeyIsAnErrorWithLineAndSuggestion() {
        ConfigException e = error("""
                pipelines:
                  a:
                    schedul: "0 7 * * *"
                    steps: [{sync: hubspot}]
                """);
        assertThat(e.getMessage()).contains("tributary.yml:3").contains("pipelines.a.schedul").contains("did you mean 'schedule'");
    }

    @Test
    void aMisspeltStepsKeyIsNamedAsUnknownNotReportedAsNoSteps() {
        ConfigException e = error("""
                pipelines:
                  a:
                    every: 1h
                    stesp:
                      - sync: hubspot
                """);
        assertThat(e.getMessage()).contains("tributary.yml:4").contains("pipelines.a.stesp: unknown key").contains("did you mean 'steps'");
    }

    @Test
    void unknownKeyInsideAStepIsAnError() {
        ConfigException e = error("""
                pipelines:
                  a:
                    steps:
                      - sync: hubspot
                        paralel: true
                """);
        assertThat(e.getMessage()).contains("tributary.yml:5").contains("paralel").contains("did you mean 'parallel'");
    }

    @Test
    void badCronSaysWhichField() {
        ConfigException e = error("""
                pipelines:
                  a:
                    schedule: "0 25 * * *"
                    steps: [{sync: hubspot}]
                """);
        assertThat(e.getMessage()).contains("tributary.yml:3").contains("pipelines.a.schedule").contains("hour field '25'");
        assertThat(error("pipelines: {a: {schedule: '0 7 * *', steps: [{sync: hubspot}]}}").getMessage()).contains("4 fields; expected 5");
    }

    @Test
    void unknownTimeZoneSuggestsTheNearestOne() {
        ConfigException e = error("""
                pipelines:
                  a:
                    schedule: "0 7 * * *"
                    timezone: Europe/Lodnon
                    steps: [{sync: hubspot}]
                """);
        assertThat(e.getMessage()).contains("tributary.yml:4").contains("unknown time zone 'Europe/Lodnon'").contains("Europe/London");
    }

    @Test
    void unknownConnectionInASyncStep() {
        ConfigException e = error("""
                pipelines:
                  a:
                    steps:
                      - sync: [hubspot, hubspt]
                """);
        assertThat(e.getMessage()).contains("tributary.yml:4").contains("unknown connection 'hubspt'").contains("did you mean 'hubspot'");
    }

    @Test
    void scheduleAndEveryTogether() {
        ConfigException e = error("""
                pipelines:
                  a:
                    schedule: "0 7 * * *"
                    every: 5m
                    steps: [{sync: hubspot}]
                """);
        assertThat(e.getMessage()).contains("tributary.yml:4").contains("not both");
    }

    @Test
    void unknownDependsOn() {
        ConfigException e = error("""
                pipelines:
                  a:
                    steps:
                      - sync: hubspot
                      - build: x
                        depends_on: [sync-2]
                """);
        assertThat(e.getMessage()).contains("tributary.yml:6").contains("unknown step 'sync-2'").contains("did you mean 'sync-1'");
    }

    @Test
    void thePipelineNameCliIsReservedForCommandLineRuns() {
        ConfigException e = error("""
                pipelines:
                  ok:
                    steps: [{sync: hubspot}]
                  cli:
                    steps: [{sync: hubspot}]
                """);
        assertThat(e.getMessage()).contains("tributary.yml:4").contains("'cli' is reserved for runs started from the command line");
    }

    @Test
    void duplicateStepNames() {
        ConfigException e = error("""
                pipelines:
                  a:
                    steps:
                      - sync: hubspot
                        name: load
                      - build: x
                        name: load
                """);
        assertThat(e.getMessage()).contains("tributary.yml:7").contains("duplicate step name 'load'");
    }

    @Test
    void stepWithNoKindOrTwoKinds() {
        ConfigException none = error("""
                pipelines:
                  a:
                    steps:
                      - synk: hubspot
                """);
        assertThat(none.getMessage()).contains("tributary.yml:4").contains("a step needs one of").contains("did you mean 'sync'");
        ConfigException two = error("""
                pipelines:
                  a:
                    steps:
                      - sync: hubspot
                        build: x
                """);
        assertThat(two.getMessage()).contains("tributary.yml:5").contains("sync and build");
    }

    @Test
    void cycles() {
        ConfigException e = error("""
                pipelines:
                  a:
                    steps:
                      - sync: hubspot
                        name: one
                        depends_on: [three]
                      - build: x
                        name: two
                      - checks: all
                        name: three
                """);
        assertThat(e.getMessage()).contains("cycle").contains("one -> three -> two -> one");
        assertThat(error("pipelines: {a: {steps: [{sync: hubspot, name: s, depends_on: s}]}}").getMessage()).contains("s -> s");
    }

    @Test
    void badDurations() {
        assertThat(error("pipelines: {a: {every: 5 minutes, steps: [{sync: hubspot}]}}").getMessage())
                .contains("pipelines.a.every").contains("bad duration '5 minutes'");
        assertThat(error("pipelines: {a: {every: 0s, steps: [{sync: hubspot}]}}").getMessage()).contains("longer than zero");
        assertThat(error("pipelines: {a: {retries: {backoff: 3x}, steps: [{sync: hubspot}]}}").getMessage())
                .contains("pipelines.a.retries.backoff").contains("bad duration '3x'");
        assertThat(error("pipelines: {a: {freshness: soon, steps: [{sync: hubspot}]}}").getMessage()).contains("pipelines.a.freshness");
    }

    @Test
    void otherMistakes() {
        assertThat(error("pipelines: {a: {every: 5m, timezone: UTC, steps: [{sync: hubspot}]}}").getMessage()).contains("timezone applies");
        assertThat(error("pipelines: {a: {steps: []}}").getMessage()).contains("at least one step");
        assertThat(error("pipelines: {a: {steps: [{build: x, parallel: true}]}}").getMessage()).contains("sync steps only");
        assertThat(error("pipelines: {a: {steps: [{export: {model: m, path: out.txt}}]}}").getMessage()).contains("format");
        assertThat(error("pipelines: {a: {steps: [{export: {model: m, path: out.csv, fromat: csv}}]}}").getMessage()).contains("did you mean 'format'");
        assertThat(error("pipelines: {a: {retries: {max: -1}, steps: [{sync: hubspot}]}}").getMessage()).contains("0 or more");
    }

    @Test
    void partitionedExports() {
        PipelineDef p = parse("""
                pipelines:
                  a:
                    steps:
                      - export: {model: answers, path: "s3://lake/answers", partition_by: [tenant, stream], keep_other_partitions: true,
                                 s3: {endpoint: "http://127.0.0.1:9000", region: eu-west-1, path_style: true}}
                """).get("a");
        assertThat(p.steps().get(0).options()).containsEntry("partition_by", "tenant,stream").containsEntry("format", "parquet")
                .containsEntry("keep_other_partitions", "true").containsEntry("s3.endpoint", "http://127.0.0.1:9000").containsEntry("s3.region", "eu-west-1")
                .containsEntry("s3.path_style", "true");
        assertThat(error("pipelines: {a: {steps: [{export: {model: m, path: out/x.parquet, partition_by: [t]}}]}}").getMessage()).contains("give a folder or s3://");
        assertThat(error("pipelines: {a: {steps: [{export: {model: m, path: s3://b/p}}]}}").getMessage()).contains("add partition_by");
        assertThat(error("pipelines: {a: {steps: [{export: {model: m, path: out, format: csv, partition_by: t}}]}}").getMessage()).contains("write parquet");
        assertThat(error("pipelines: {a: {steps: [{export: {model: m, path: o.parquet, keep_other_partitions: true}}]}}").getMessage())
                .contains("partitioned exports (with partition_by) only");
        assertThat(error("pipelines: {a: {steps: [{export: {model: m, path: out, partition_by: t, s3: {region: x}}}]}}").getMessage())
                .contains("applies to an s3:// path only");
    }

    @Test
    void lakehouseMaintenanceSteps() {
        PipelineDef p = parse("""
                pipelines:
                  nightly:
                    schedule: "15 3 * * *"
                    steps:
                      - lakehouse: [remove-orphans, compact, expire-snapshots]
                        older_than: 2d
                        retain_last: 3
                        table: hubspot.contacts
                      - lakehouse: compact
                """).get("nightly");
        StepDef all = p.steps().get(0);
        assertThat(all.kind()).isEqualTo(StepKind.LAKEHOUSE);
        assertThat(all.name()).isEqualTo("lakehouse-1");
        assertThat(all.targets()).as("compact first, whatever the order written").containsExactly("compact", "expire-snapshots", "remove-orphans");
        assertThat(all.options()).isEqualTo(Map.of("table", "hubspot.contacts", "older_than", Long.toString(Duration.ofDays(2).toSeconds()), "retain_last", "3"));
        assertThat(p.steps().get(1).targets()).containsExactly("compact");
        assertThat(p.steps().get(1).options()).isEmpty();

        ConfigException typo = error("pipelines:\n  a:\n    steps:\n      - lakehouse: [compact, expire-snapshot]\n");
        assertThat(typo.getMessage()).contains("tributary.yml:4").contains("pipelines.a.steps[0].lakehouse")
                .contains("unknown action 'expire-snapshot' (did you mean 'expire-snapshots'?)");
        assertThat(error("pipelines: {a: {steps: [{lakehouse: []}]}}").getMessage()).contains("names what to do: compact, expire-snapshots, remove-orphans");
        assertThat(error("pipelines: {a: {steps: [{lakehouse: compact, older_than: 7d}]}}").getMessage())
                .contains("older_than: applies to expire-snapshots only");
        assertThat(error("pipelines: {a: {steps: [{lakehouse: expire-snapshots, retain_last: 0}]}}").getMessage()).contains("must be 1 or more");
        assertThat(error("pipelines: {a: {steps: [{lakehouse: expire-snapshots, older_than: a week}]}}").getMessage()).contains("bad duration 'a week'");
        assertThat(error("pipelines: {a: {steps: [{lakehouse: compact, table: contacts}]}}").getMessage()).contains("expected namespace.table");
        assertThat(error("pipelines: {a: {steps: [{build: x, table: a.b}]}}").getMessage()).contains("table: applies to lakehouse steps only");
    }

    @Test
    void buildRunTestAndChecksStepsNameTheirTarget() {
        PipelineDef p = parse("""
                pipelines:
                  refine:
                    steps:
                      - build: []
                        target: spark
                      - run: orders
                        target: other
                      - test:
                        target: other
                      - checks: all
                        target: spark
                      - build: orders
                """).get("refine");
        assertThat(p.steps()).extracting(s -> s.options().get("target")).containsExactly("spark", "other", "other", "spark", null);

        ConfigException typo = error("pipelines:\n  a:\n    steps:\n      - build: []\n        targt: spark\n");
        assertThat(typo.getMessage()).contains("tributary.yml:5").contains("pipelines.a.steps[0].targt").contains("did you mean 'target'");
        assertThat(error("pipelines: {a: {steps: [{sync: hubspot, target: spark}]}}").getMessage())
                .contains("target: applies to build, run, test and checks steps only");
        assertThat(error("pipelines: {a: {steps: [{lakehouse: compact, target: spark}]}}").getMessage())
                .contains("target: applies to build, run, test and checks steps only");
        assertThat(error("pipelines: {a: {steps: [{build: x, target: ''}]}}").getMessage()).contains("target: names a profiles.yml target");
        assertThat(error("pipelines: {a: {steps: [{build: x, target: [a, b]}]}}").getMessage()).contains("target");
    }

    @Test
    void stepRetriesInheritThePipelineSettings() {
        PipelineDef p = parse("""
                pipelines:
                  a:
                    retries: {max: 1, backoff: 10s, max_backoff: 1m}
                    steps:
                      - sync: hubspot
                        retries: {backoff: 20s}
                """).get("a");
        assertThat(p.steps().get(0).retry()).isEqualTo(Optional.of(new RetrySettings(1, Duration.ofSeconds(20), Duration.ofMinutes(1))));
        assertThat(p.steps()).extracting(StepDef::targets).containsExactly(List.of("hubspot"));
    }
}
