package dev.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataType;
import dev.tributary.spi.ErrorPolicy;
import dev.tributary.spi.Field;
import dev.tributary.spi.LockHolder;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamId;
import dev.tributary.spi.SyncMode;
import dev.tributary.spi.WarehouseBusyException;
import dev.tributary.spi.WriteMode;
import dev.tributary.spi.WriterLock;
import dev.tributary.testkit.FakeSource;
import dev.tributary.testkit.RecordingDestination;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyncEngineTest {
    private final FakeSource source = new FakeSource().batchSize(10);
    private final RecordingDestination destination = new RecordingDestination();
    private final List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());

    private SyncResult sync(SyncOptions options, ConfiguredStream... streams) {
        return new SyncEngine(options, events::add).run(new SyncJob("fake", source, Config.empty(), destination, List.of(streams)));
    }

    private SyncResult sync(ConfiguredStream... streams) {
        return sync(SyncOptions.defaults().withCheckpointPolicy(CheckpointPolicy.everyBatch()), streams);
    }

    private ConfiguredStream configured(String name, WriteMode mode) {
        ConfiguredStream d = ConfiguredStream.defaults("fake", source.discover(Config.empty()).stream(name).orElseThrow());
        return d.withModes(SyncMode.INCREMENTAL, mode);
    }

    private List<Long> ids(String table) {
        return destination.rows(table).stream().map(r -> (Long) r.get("id")).toList();
    }

    @Test
    void syncsEverythingThenOnlyWhatIsNew() {
        source.stream("people").addNumbered(35);
        SyncResult first = sync(configured("people", WriteMode.APPEND));
        assertThat(first.ok()).isTrue();
        assertThat(first.records()).isEqualTo(35);
        assertThat(ids("fake.people")).hasSize(35).doesNotHaveDuplicates();

        SyncResult idle = sync(configured("people", WriteMode.APPEND));
        assertThat(idle.records()).isZero();

        source.stream("people").addNumbered(5);
        SyncResult second = sync(configured("people", WriteMode.APPEND));
        assertThat(second.records()).isEqualTo(5);
        assertThat(ids("fake.people")).hasSize(40).doesNotHaveDuplicates();
        assertThat(destination.committedState("fake", StreamId.of("people")).orElseThrow().value().get("position").asInt()).isEqualTo(40);
    }

    @Test
    void aRunHoldsItsConnectionsWriterLockAndASecondWriterStopsAtOnce() {
        source.stream("people").addNumbered(15);
        SyncResult first = sync(configured("people", WriteMode.APPEND));
        assertThat(first.ok()).isTrue();
        assertThat(destination.events()).startsWith("lock fake").endsWith("unlock fake");

        try (WriterLock held = destination.lockWriter("fake", LockHolder.thisProcess("tributary sync fake (elsewhere)"))) {
            assertThatThrownBy(() -> sync(configured("people", WriteMode.APPEND)))
                    .isInstanceOf(WarehouseBusyException.class).hasMessageContaining("tributary sync fake (elsewhere)");
        }
        assertThat(ids("fake.people")).hasSize(15);
    }

    @Test
    void withWaitingASecondWriterRunsOnceTheHolderIsDoneAndLoadsNothingTwice() throws Exception {
        source.stream("people").addNumbered(25);
        List<String> said = Collections.synchronizedList(new ArrayList<>());
        WriterLockPolicy waiting = WriterLockPolicy.waitFor("tributary sync fake", said::add).withTiming(Duration.ofMillis(10), Duration.ofSeconds(30));
        WriterLock held = destination.lockWriter("fake", LockHolder.thisProcess("tributary sync fake (first)"));
        CompletableFuture<SyncResult> second = CompletableFuture.supplyAsync(() -> new SyncEngine(SyncOptions.defaults(), events::add, waiting)
                .run(new SyncJob("fake", source, Config.empty(), destination, List.of(configured("people", WriteMode.APPEND)))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (said.isEmpty()) {
            assertThat(System.nanoTime()).as("the waiting line").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(said.getFirst()).startsWith("waiting: ").contains("tributary sync fake (first)");
        assertThat(second).isNotDone();
        assertThat(ids("fake.people")).isEmpty();
        held.close();
        assertThat(second.get(30, TimeUnit.SECONDS).records()).isEqualTo(25);
        assertThat(said).hasSize(1);
        assertThat(ids("fake.people")).containsExactlyInAnyOrderElementsOf(range(1, 25));
    }

    @Test
    void crashBeforeCommitResumesFromLastCommitWithNoGapOrDuplicate() {
        source.stream("people").addNumbered(50);
        destination.failCommitAfter(2);
        SyncResult crashed = sync(configured("people", WriteMode.APPEND));
        assertThat(crashed.ok()).isFalse();
        assertThat(crashed.streams().get(0).error()).get().asString().contains("simulated crash");
        assertThat(ids("fake.people")).hasSize(20);
        assertThat(destination.events()).contains("abort people");

        SyncResult resumed = sync(configured("people", WriteMode.APPEND));
        assertThat(resumed.ok()).isTrue();
        assertThat(resumed.records()).isEqualTo(30);
        assertThat(ids("fake.people")).containsExactlyInAnyOrderElementsOf(range(1, 50));
    }

    @Test
    void sourceFailureMidStreamKeepsCommittedDataAndResumes() {
        source.stream("people").addNumbered(45);
        source.failAfterBatches(3);
        SyncResult failed = sync(configured("people", WriteMode.APPEND));
        assertThat(failed.ok()).isFalse();
        assertThat(failed.streams().get(0).error()).get().asString().contains("fake source failed after 3 batches");
        assertThat(ids("fake.people")).hasSize(30);

        source.failAfterBatches(-1);
        assertThat(sync(configured("people", WriteMode.APPEND)).ok()).isTrue();
        assertThat(ids("fake.people")).containsExactlyInAnyOrderElementsOf(range(1, 45));
    }

    @Test
    void rejectedInputFailsTheStreamByDefaultNamingWhereAndWhat() {
        source.stream("people").addNumbered(25).rejectAt(13, "malformed row: unterminated quote");
        SyncResult result = sync(configured("people", WriteMode.APPEND));
        assertThat(result.ok()).isFalse();
        assertThat(result.streams().get(0).error()).get().asString()
                .contains("people:14").contains("unterminated quote").contains("on_error: reject");
        assertThat(ids("fake.people")).as("the first batch was committed, the bad one was not").hasSize(10);
        assertThat(destination.committedState("fake", StreamId.of("people")).orElseThrow().value().get("position").asInt()).isEqualTo(10);
    }

    @Test
    void rejectPolicyLoadsGoodRecordsAndKeepsBadOnes() {
        source.stream("people").addNumbered(25).rejectAt(13, "malformed row").add("not a number", "x", "1");
        SyncResult result = sync(configured("people", WriteMode.APPEND).withOnError(ErrorPolicy.REJECT));
        assertThat(result.ok()).isTrue();
        assertThat(result.records()).isEqualTo(24);
        assertThat(result.rejected()).isEqualTo(2);
        assertThat(destination.rejects()).extracting(r -> r.origin()).containsExactly("people:14", "people:26");
        assertThat(destination.rejects().get(1).reason()).contains("column 'id'").contains("not an integer");
    }

    @Test
    void valuesAreCoercedToTheSchemaAndTypesWidenNeverNarrow() {
        var people = source.stream("people");
        people.add("1", "Ada", "10.5").add(2L, "Grace", 3L);
        assertThat(sync(configured("people", WriteMode.APPEND)).ok()).isTrue();
        assertThat(destination.rows("fake.people")).extracting(r -> r.get("amount"))
                .containsExactly(new BigDecimal("10.5"), new BigDecimal(3));

        people.evolve(new Schema(List.of(new Field("id", DataType.TEXT, false), Field.of("name", DataType.TEXT),
                Field.of("amount", DataType.DECIMAL), Field.of("joined", DataType.DATE)), List.of("id")));
        people.add("A-3", "Edsger", null, "2026-01-31");
        assertThat(sync(configured("people", WriteMode.APPEND)).ok()).isTrue();
        assertThat(destination.schema("fake.people").orElseThrow().field("id").orElseThrow().type()).isEqualTo(DataType.TEXT);
        assertThat(destination.rows("fake.people").get(2)).containsEntry("joined", java.time.LocalDate.of(2026, 1, 31));

        people.evolve(FakeSource.DEFAULT_SCHEMA);
        people.add(4L, "Barbara", null);
        assertThat(sync(configured("people", WriteMode.APPEND)).ok()).isTrue();
        assertThat(destination.rows("fake.people").get(3).get("id")).as("an integer into a text column stays text").isEqualTo("4");
    }

    @Test
    void mergeRejectsRecordsWithoutKey() {
        source.stream("people").add(1L, "Ada", null).add(null, "nobody", null).add(1L, "Ada Lovelace", null);
        SyncResult result = sync(configured("people", WriteMode.MERGE).withOnError(ErrorPolicy.REJECT));
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(destination.rejects().get(0).reason()).contains("primary key column 'id' is empty");
        assertThat(destination.rows("fake.people")).singleElement().satisfies(r -> assertThat(r.get("name")).isEqualTo("Ada Lovelace"));
    }

    @Test
    void streamsRunInParallelAndPublishEvents() {
        for (String name : List.of("a", "b", "c", "d")) source.stream(name).addNumbered(30);
        SyncResult result = sync(configured("a", WriteMode.APPEND), configured("b", WriteMode.APPEND),
                configured("c", WriteMode.MERGE), configured("d", WriteMode.OVERWRITE));
        assertThat(result.ok()).isTrue();
        assertThat(result.records()).isEqualTo(120);
        assertThat(events.get(0)).isInstanceOf(RunEvent.RunStarted.class);
        assertThat(events.get(events.size() - 1)).isInstanceOf(RunEvent.RunFinished.class);
        assertThat(events).filteredOn(e -> e instanceof RunEvent.StreamFinished).hasSize(4);
        assertThat(events).filteredOn(e -> e instanceof RunEvent.BatchLoaded).hasSize(12);
        assertThat(result.streams().get(3).commits()).as("overwrite commits once, at the end").isEqualTo(1);
    }

    @Test
    void fullRefreshReadsFromScratchAndReplacesTheTable() {
        source.stream("people").addNumbered(20);
        sync(configured("people", WriteMode.APPEND));
        sync(configured("people", WriteMode.APPEND));
        SyncResult refreshed = sync(SyncOptions.defaults().withFullRefresh(true), configured("people", WriteMode.APPEND));
        assertThat(refreshed.records()).isEqualTo(20);
        assertThat(ids("fake.people")).containsExactlyInAnyOrderElementsOf(range(1, 20));
    }

    @Test
    void checkpointPolicyDecidesHowOftenToCommit() {
        source.stream("people").addNumbered(100);
        SyncResult result = sync(SyncOptions.defaults().withCheckpointPolicy(CheckpointPolicy.everyRecords(25)), configured("people", WriteMode.APPEND));
        // batches of 10: commits after 30, 60, 90, then the final one.
        assertThat(result.streams().get(0).commits()).isEqualTo(4);
        assertThat(destination.events()).filteredOn(e -> e.startsWith("commit")).hasSize(4);
    }

    @Test
    void cancelStopsTheStreamAfterItsLastCommit() {
        source.stream("people").addNumbered(100);
        SyncEngine[] engine = new SyncEngine[1];
        engine[0] = new SyncEngine(SyncOptions.defaults().withCheckpointPolicy(CheckpointPolicy.everyBatch()), event -> {
            if (event instanceof RunEvent.Checkpointed c && c.recordsCommitted() == 30) engine[0].cancel();
        });
        SyncResult cancelled = engine[0].run(new SyncJob("fake", source, Config.empty(), destination, List.of(configured("people", WriteMode.APPEND))));
        assertThat(cancelled.streams().get(0).status()).isEqualTo(StreamResult.Status.CANCELLED);
        assertThat(ids("fake.people")).hasSize(30);

        assertThat(sync(configured("people", WriteMode.APPEND)).records()).isEqualTo(70);
        assertThat(ids("fake.people")).containsExactlyInAnyOrderElementsOf(range(1, 100));
    }

    @Test
    void aSourceThatEndsWithoutACheckpointFailsInsteadOfCommittingStaleState() {
        source.stream("people").addNumbered(15);
        source.checkpoints(false);
        SyncResult result = sync(configured("people", WriteMode.APPEND));
        assertThat(result.ok()).isFalse();
        assertThat(result.streams().get(0).error()).get().asString().contains("no checkpoint");
        assertThat(ids("fake.people")).isEmpty();
    }

    @Test
    void overwriteReadsEverythingEvenWhenStateExists() {
        source.stream("people").addNumbered(20);
        sync(configured("people", WriteMode.APPEND));
        SyncResult overwrite = sync(configured("people", WriteMode.OVERWRITE));
        assertThat(overwrite.records()).as("an overwrite that resumed would empty the table").isEqualTo(20);
        assertThat(ids("fake.people")).hasSize(20);
    }

    @Test
    void keyedOverwriteRejectsRecordsWithoutKey() {
        source.stream("people").add(1L, "Ada", null).add(null, "nobody", null);
        SyncResult result = sync(configured("people", WriteMode.OVERWRITE).withOnError(ErrorPolicy.REJECT));
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(ids("fake.people")).containsExactly(1L);
    }

    @Test
    void aDecimalTooLargeForItsColumnIsRejectedNotFatal() {
        source.stream("people").add(1L, "ok", new BigDecimal("12.5")).add(2L, "huge", new BigDecimal("1" + "0".repeat(30)));
        SyncResult result = sync(configured("people", WriteMode.APPEND).withOnError(ErrorPolicy.REJECT));
        assertThat(result.ok()).isTrue();
        assertThat(destination.rejects()).singleElement().satisfies(r -> assertThat(r.reason()).contains("column 'amount'").contains("29 digits"));
        assertThat(ids("fake.people")).containsExactly(1L);
    }

    @Test
    void aLostConnectionIsRetriedFromTheLastCommitWithNothingLostOrDoubled() {
        source.stream("people").addNumbered(50);
        destination.loseConnectionAtCommitAfter(2);
        SyncOptions options = SyncOptions.defaults().withCheckpointPolicy(CheckpointPolicy.everyBatch()).withRetries(3, java.time.Duration.ofMillis(10));
        SyncResult result = sync(options, configured("people", WriteMode.APPEND));
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.records()).as("committed records over both attempts").isEqualTo(50);
        assertThat(ids("fake.people")).containsExactlyInAnyOrderElementsOf(range(1, 50));
        assertThat(events).filteredOn(e -> e instanceof RunEvent.StreamRetrying).singleElement()
                .satisfies(e -> assertThat(((RunEvent.StreamRetrying) e).error()).contains("lost connection"));
    }

    @Test
    void retriesStopAfterMaxAttempts() {
        source.stream("people").addNumbered(30);
        SyncOptions options = SyncOptions.defaults().withCheckpointPolicy(CheckpointPolicy.everyBatch()).withRetries(2, java.time.Duration.ZERO);
        destination.loseConnectionAtCommitAfter(0);
        SyncEngine engine = new SyncEngine(options, event -> {
            if (event instanceof RunEvent.StreamRetrying) destination.loseConnectionAtCommitAfter(0);
        });
        SyncResult result = engine.run(new SyncJob("fake", source, Config.empty(), destination, List.of(configured("people", WriteMode.APPEND))));
        assertThat(result.ok()).isFalse();
        assertThat(result.streams().get(0).error()).get().asString().contains("after 2 attempts");
        assertThat(ids("fake.people")).isEmpty();
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= to; i++) out.add(i);
        return out;
    }

    @Test
    void noDuplicatesAcrossManyRandomCrashes() {
        source.stream("people").addNumbered(200);
        java.util.Random random = new java.util.Random(42);
        int runs = 0;
        while (runs++ < 50) {
            destination.failCommitAfter(random.nextInt(4));
            if (sync(configured("people", WriteMode.APPEND)).ok()) break;
        }
        destination.failCommitAfter(-1);
        sync(configured("people", WriteMode.APPEND));
        List<Long> ids = ids("fake.people");
        assertThat(new HashSet<>(ids)).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(range(1, 200));
        Map<String, Object> last = destination.rows("fake.people").get(ids.size() - 1);
        assertThat(last).containsKey("_tributary_run_id");
    }

    @Test
    void saysWhenTheDestinationCannotApplyReconciledDeletions() {
        source.stream("people").addNumbered(3)
                .completeWith(new dev.tributary.spi.Completion.KeysSeen("pass-1", List.of(List.of(1L)), true, java.time.Instant.EPOCH));
        List<String> warnings = dev.tributary.testkit.LoggedWarnings.during(StreamSync.class, () -> {
            SyncResult result = sync(configured("people", WriteMode.MERGE));
            assertThat(result.ok()).as("the sync still loads what it read").isTrue();
            assertThat(ids("fake.people")).containsExactlyInAnyOrder(1L, 2L, 3L);
        });
        assertThat(warnings).singleElement().asString()
                .contains("stream people", "cannot apply them", "those rows stay as they are", "write mode merge");
    }
}
