package dev.tributary.destination.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The staged keys of a merge, integer keys in their primitive table and every other key as text: the same answers as
 * a map of key texts (what the writer kept before), for puts, replacements, deletions, look-ups by text and by a
 * stored row.
 */
class StagedKeysTest {
    private static final Schema SCHEMA = new Schema(Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "name", Types.StringType.get()));
    private static final KeyPositions.RowKey BY_ID = KeyPositions.RowKey.of(SCHEMA, List.of("id"));
    private static final KeyPositions.RowKey BY_NAME = KeyPositions.RowKey.of(SCHEMA, List.of("name"));
    private static final KeyPositions.RowKey BY_BOTH = KeyPositions.RowKey.of(SCHEMA, List.of("id", "name"));

    @Test
    void integerKeysAnswerAsAMapOfTheirTextsDoesThroughGrowthReplacementsAndDeletions() {
        StagedKeys keys = new StagedKeys();
        Map<String, StagedKeys.Staged> expected = new HashMap<>();
        Random random = new Random(3);
        for (long where = 0; where < 200_000; where++) {
            // ids over a range smaller than the rows (so keys repeat), negatives and the extremes too
            long id = switch ((int) (where % 1000)) {
                case 7 -> Long.MIN_VALUE;
                case 8 -> Long.MAX_VALUE;
                case 9 -> 0;
                default -> random.nextInt(120_000) - 20_000;
            };
            Long value = where % 997 == 0 ? null : id;
            Instant deletedAt = where % 13 == 0 ? Instant.ofEpochSecond(where) : null;
            StagedKeys.Staged before = expected.put(IcebergTypes.keyText(value), new StagedKeys.Staged(where, deletedAt));
            assertThat(keys.put(row(value, "n"), BY_ID, where, deletedAt)).isEqualTo(before == null ? StagedKeys.NONE : before.where());
        }
        assertThat(keys.size()).isEqualTo(expected.size());
        expected.forEach((text, staged) -> assertThat(keys.get(text)).as(text).isEqualTo(staged));
        assertThat(keys.deleted()).containsExactlyInAnyOrderElementsOf(expected.entrySet().stream()
                .filter(e -> e.getValue().deletedAt() != null).map(Map.Entry::getKey).toList());
        assertThat(keys.get("-20001")).isNull();
        assertThat(keys.get("0100")).as("not an integer's key text").isNull();
        assertThat(keys.contains(stored(0L, "x"), List.of("id"))).isTrue();
        assertThat(keys.contains(stored(null, "x"), List.of("id"))).isTrue();
        assertThat(keys.contains(stored(100_001L, "x"), List.of("id"))).isFalse();

        long where = 1L << 40 | 5; // a second file's position
        keys.put("0", where, null);
        assertThat(keys.get("0")).isEqualTo(new StagedKeys.Staged(where, null));
        keys.put(IcebergTypes.keyText(null), 9, Instant.EPOCH);
        assertThat(keys.get(IcebergTypes.keyText(null))).isEqualTo(new StagedKeys.Staged(9, Instant.EPOCH));

        keys.clear();
        assertThat(keys.isEmpty()).isTrue();
        assertThat(keys.get("0")).isNull();
        assertThat(keys.contains(stored(0L, "x"), List.of("id"))).isFalse();
    }

    @Test
    void otherKeysAreText() {
        StagedKeys keys = new StagedKeys();
        assertThat(keys.put(row(1L, "a"), BY_NAME, 0, null)).isEqualTo(StagedKeys.NONE);
        assertThat(keys.put(row(2L, "1"), BY_NAME, 1, Instant.EPOCH)).isEqualTo(StagedKeys.NONE);
        assertThat(keys.put(row(3L, "a"), BY_NAME, 2, null)).isEqualTo(0);
        assertThat(keys.get("a")).isEqualTo(new StagedKeys.Staged(2, null));
        assertThat(keys.get("1")).as("a text key that reads as a number").isEqualTo(new StagedKeys.Staged(1, Instant.EPOCH));
        assertThat(keys.deleted()).containsExactly("1");
        assertThat(keys.contains(stored(9L, "1"), List.of("name"))).isTrue();
        assertThat(keys.contains(stored(1L, "b"), List.of("name"))).isFalse();

        StagedKeys both = new StagedKeys();
        both.put(row(1L, "a"), BY_BOTH, 0, null);
        assertThat(both.contains(stored(1L, "a"), List.of("id", "name"))).isTrue();
        assertThat(both.contains(stored(1L, "b"), List.of("id", "name"))).isFalse();
        assertThat(both.get("1\u001fa")).isEqualTo(new StagedKeys.Staged(0, null));
    }

    @Test
    void keysOfAnotherKindThanTheStagedOnesAreRefused() {
        StagedKeys keys = new StagedKeys();
        keys.put(row(1L, "a"), BY_ID, 0, null);
        assertThatThrownBy(() -> keys.put(row(1L, "a"), BY_NAME, 1, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the staged keys are integers");
    }

    private static TableRow row(Long id, String name) {
        TableRow r = new TableRow(2);
        r.set(0, id);
        r.set(1, name);
        return r;
    }

    private static Record stored(Long id, String name) {
        Record r = GenericRecord.create(SCHEMA);
        r.setField("id", id);
        r.setField("name", name);
        return r;
    }
}
