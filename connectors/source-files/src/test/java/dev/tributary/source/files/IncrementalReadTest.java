package dev.tributary.source.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental reads: which files a sync reads again, and where it resumes. */
class IncrementalReadTest {
    @TempDir
    Path dir;

    private Config config() {
        return Fixtures.config(dir, 2, "{'name': 'leads', 'path': 'leads/*.csv'}");
    }

    private ConfiguredStream incremental() {
        return Reads.configured(config(), "leads", SyncMode.INCREMENTAL);
    }

    private Reads sync(Optional<StreamState> from) {
        return Reads.read(config(), incremental(), from.map(s -> StreamState.fromJson(s.toJson())));
    }

    private static void setModified(Path file, String instant) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(instant)));
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void laterSyncsReadOnlyNewAndChangedFiles() throws IOException {
        Path a = Fixtures.write(dir, "leads/a.csv", "id,name\n1,a\n2,b\n3,c\n");
        Fixtures.write(dir, "leads/b.csv", "id,name\n4,d\n");
        Reads first = sync(Optional.empty());
        assertThat(first.column("id")).containsExactly(1L, 2L, 3L, 4L);

        Reads nothingNew = sync(first.lastState());
        assertThat(nothingNew.batches()).as("no batch when nothing changed").isEmpty();

        Fixtures.write(dir, "leads/c.csv", "id,name\n5,e\n");
        Files.writeString(a, "id,name\n1,a\n2,b\n3,c\n6,f\n");
        setModified(a, "2030-01-01T00:00:00Z");
        Reads second = sync(first.lastState());
        assertThat(second.column("id")).as("a.csv changed: read whole; c.csv is new").containsExactly(1L, 2L, 3L, 6L, 5L);
        assertThat(sync(second.lastState()).batches()).isEmpty();
    }

    @Test
    void aFileThatGrowsWhileItIsReadIsReadAgainNextTime() throws IOException {
        Path a = Fixtures.write(dir, "leads/a.csv", "id,name\n1,a\n2,b\n3,c\n");
        ConfiguredStream stream = incremental();
        Optional<StreamState> last = Optional.empty();
        java.util.List<Object> ids = new java.util.ArrayList<>();
        try (var reader = new FilesSource().read(config(), stream, Optional.empty())) {
            var batch = reader.next().orElseThrow();
            ids.addAll(batch.records().stream().map(r -> r.value(0)).toList());
            Files.writeString(a, "4,d\n", java.nio.file.StandardOpenOption.APPEND);
            for (var b = reader.next(); b.isPresent(); b = reader.next()) {
                ids.addAll(b.get().records().stream().map(r -> r.value(0)).toList());
                last = b.get().checkpoint();
            }
        }
        Reads next = sync(last);
        ids.addAll(next.column("id"));
        assertThat(ids).as("the row appended during the read is not lost").contains(1L, 2L, 3L, 4L);
    }

    @Test
    void aTouchedButUnchangedFileIsNotReadAgain() throws IOException {
        Path a = Fixtures.write(dir, "leads/a.csv", "id\n1\n");
        Reads first = sync(Optional.empty());
        setModified(a, "2031-01-01T00:00:00Z");
        Reads second = sync(first.lastState());
        assertThat(second.records()).isEmpty();
        assertThat(second.lastState()).as("the new time is remembered").isPresent();
        JsonNode file = second.lastState().orElseThrow().value().path("files").get(0);
        assertThat(file.path("modified").asText()).isEqualTo("2031-01-01T00:00:00Z");
        assertThat(sync(second.lastState()).batches()).isEmpty();
    }

    @Test
    void aFileChangedWithTheSameSizeIsFoundByItsChecksum() throws IOException {
        Path a = Fixtures.write(dir, "leads/a.csv", "id\n1\n");
        Reads first = sync(Optional.empty());
        Files.writeString(a, "id\n2\n");
        setModified(a, "2031-01-01T00:00:00Z");
        assertThat(sync(first.lastState()).column("id")).containsExactly(2L);
    }

    @Test
    void theStateNamesEachLoadedFileWithItsChecksum() {
        Fixtures.write(dir, "leads/a.csv", "id\n1\n");
        StreamState state = sync(Optional.empty()).lastState().orElseThrow();
        assertThat(state.version()).isEqualTo(1);
        JsonNode file = state.value().path("files").get(0);
        assertThat(file.path("path").asText()).isEqualTo("leads/a.csv");
        assertThat(file.path("size").asLong()).isEqualTo(5);
        assertThat(file.path("sha256").asText()).isEqualTo(sha256("id\n1\n"));
        assertThat(state.value().has("current")).isFalse();
    }

    @Test
    void aStopInsideAFileResumesAfterTheCheckpointOrRereadsTheFileIfItChanged() throws IOException {
        Path a = Fixtures.write(dir, "leads/a.csv", "id\n1\n2\n3\n4\n5\n");
        StreamState afterTwo;
        try (StreamReader reader = Reads.SOURCE.read(config(), incremental(), Optional.empty())) {
            RecordBatch batch = reader.next().orElseThrow();
            assertThat(batch.records()).hasSize(2);
            afterTwo = batch.checkpoint().orElseThrow();
        }
        JsonNode current = afterTwo.value().path("current");
        assertThat(current.path("path").asText()).isEqualTo("leads/a.csv");
        assertThat(current.path("rows").asLong()).isEqualTo(2);

        assertThat(sync(Optional.of(afterTwo)).column("id")).containsExactly(3L, 4L, 5L);

        Files.writeString(a, "id\n1\n2\n3\n4\n5\n6\n");
        assertThat(sync(Optional.of(afterTwo)).column("id")).as("changed since the stop: read again from the start")
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void resumesInsideJsonArraysAndHeaderlessCsv() {
        Fixtures.write(dir, "a.json", "[\n{\"id\": 1},\n{\"id\": 2},\n{\"id\": 3}, {\"id\": 4},\n{\"id\": 5}\n]\n");
        Fixtures.write(dir, "n.csv", "1,a\n2,b\n3,c\n");
        for (String stream : List.of("{'name': 's', 'path': 'a.json'}", "{'name': 's', 'path': 'n.csv', 'csv': {'header': false}}")) {
            Config config = Fixtures.config(dir, 2, stream);
            ConfiguredStream configured = Reads.configured(config, "s", SyncMode.INCREMENTAL);
            Reads all = Reads.read(config, configured, Optional.empty());
            StreamState afterFirst;
            try (StreamReader reader = Reads.SOURCE.read(config, configured, Optional.empty())) {
                afterFirst = reader.next().orElseThrow().checkpoint().orElseThrow();
            }
            Reads rest = Reads.read(config, configured, Optional.of(StreamState.fromJson(afterFirst.toJson())));
            assertThat(rest.rows()).isEqualTo(all.rows().subList(2, all.rows().size()));
            assertThat(rest.records()).extracting(r -> r.origin())
                    .isEqualTo(all.records().subList(2, all.records().size()).stream().map(r -> r.origin()).toList());
        }
    }

    @Test
    void rejectedRowsCountTowardsTheResumePoint() {
        Fixtures.write(dir, "leads/a.csv", "id\n1\n2,x\n3\n4\n");
        StreamState afterTwo;
        try (StreamReader reader = Reads.SOURCE.read(config(), incremental(), Optional.empty())) {
            RecordBatch batch = reader.next().orElseThrow();
            assertThat(batch.records()).hasSize(1);
            assertThat(batch.rejections()).hasSize(1);
            afterTwo = batch.checkpoint().orElseThrow();
        }
        assertThat(sync(Optional.of(afterTwo)).column("id")).containsExactly(3L, 4L);
    }

    @Test
    void fullRefreshIgnoresTheState() {
        Fixtures.write(dir, "leads/a.csv", "id\n1\n2\n3\n");
        Reads first = sync(Optional.empty());
        ConfiguredStream full = Reads.configured(config(), "leads", SyncMode.FULL_REFRESH);
        assertThat(Reads.read(config(), full, first.lastState()).column("id")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aDeletedFileLeavesTheState() throws IOException {
        Path a = Fixtures.write(dir, "leads/a.csv", "id\n1\n");
        Fixtures.write(dir, "leads/b.csv", "id\n2\n");
        Reads first = sync(Optional.empty());
        Files.delete(a);
        Reads second = sync(first.lastState());
        assertThat(second.records()).isEmpty();
        assertThat(second.batches()).as("one empty batch carries the new state").hasSize(1);
        assertThat(second.lastState().orElseThrow().value().path("files")).extracting(f -> f.path("path").asText()).containsExactly("leads/b.csv");
    }

    @Test
    void typesWidenedByAReadAreKeptInTheStateSoThatAResumeNeverNarrows() {
        Fixtures.write(dir, "leads/a.csv", "id,v\n1,1\n2,2\n3,3\n");
        ConfiguredStream stream = incremental();
        Fixtures.write(dir, "leads/b.csv", "id,v\n4,4.5\n");
        Reads first = Reads.read(config(), stream, Optional.empty());
        StreamState state = first.lastState().orElseThrow();
        assertThat(state.value().path("columns").path("v").asText()).isEqualTo("decimal");
        Fixtures.write(dir, "leads/c.csv", "id,v\n5,5\n");
        Reads second = Reads.read(config(), stream, Optional.of(state));
        assertThat(second.lastSchema().field("v").orElseThrow().type()).isEqualTo(DataType.DECIMAL);
        assertThat(second.column("v")).containsExactly(new BigDecimal("5"));
    }

    @Test
    void aPathMatchingNothingFailsUnlessMissingFilesAreIgnored() {
        Config failing = Fixtures.config(dir, 10, "{'name': 'leads', 'path': 'leads/*.csv', 'types': {'id': 'integer'}}");
        assertThatThrownBy(() -> Reads.SOURCE.discover(failing))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("leads/*.csv: no file matches this path in " + dir.toAbsolutePath())
                .hasMessageContaining("missing_files: ignore");
        assertThat(Reads.SOURCE.check(failing).ok()).isFalse();
        assertThat(Reads.SOURCE.check(failing).message()).contains("leads/*.csv: no file matches");

        Config ignoring = Fixtures.config(dir, 10,
                "{'name': 'leads', 'path': 'leads/*.csv', 'types': {'id': 'integer'}, 'primary_key': 'id', 'missing_files': 'ignore'}");
        ConfiguredStream stream = Reads.configured(ignoring, "leads", SyncMode.INCREMENTAL);
        assertThat(stream.schema().fieldNames()).containsExactly("id");
        assertThat(Reads.read(ignoring, stream, Optional.empty()).records()).isEmpty();
        assertThat(Reads.SOURCE.check(ignoring).ok()).isTrue();

        ConfiguredStream fromEarlier = Reads.configured(ignoring, "leads", SyncMode.INCREMENTAL);
        assertThatThrownBy(() -> Reads.SOURCE.read(failing, fromEarlier, Optional.empty()))
                .isInstanceOf(DataException.class).hasMessageContaining("no file matches");
    }

    @Test
    void checkCountsTheFiles() {
        Fixtures.write(dir, "leads/a.csv", "id\n1\n");
        Fixtures.write(dir, "leads/b.csv", "id\n2\n");
        assertThat(Reads.SOURCE.check(config()).message()).isEqualTo("leads: 2 files");
        Config noBase = Fixtures.config(dir.resolve("nope"), 10, "{'name': 'leads', 'path': 'leads/*.csv'}");
        assertThat(Reads.SOURCE.check(noBase).ok()).isFalse();
    }

    @Test
    void readsFilesInPathOrder() {
        Fixtures.write(dir, "leads/b.csv", "id\n2\n");
        Fixtures.write(dir, "leads/a.csv", "id\n1\n");
        Fixtures.write(dir, "leads/c.csv", "id\n3\n");
        assertThat(sync(Optional.empty()).records()).extracting(r -> r.origin()).containsExactly("leads/a.csv:2", "leads/b.csv:2", "leads/c.csv:2");
    }
}
