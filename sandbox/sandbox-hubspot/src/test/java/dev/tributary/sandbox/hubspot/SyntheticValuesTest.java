package dev.tributary.sandbox.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.sandbox.hubspot.data.SyntheticValues;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticValuesTest {
    @Test
    void isoMillisMatchesTheJdkFormatterEverywhere() {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long ms = r.nextLong(0, 4_102_444_800_000L);
            assertThat(SyntheticValues.isoMillis(ms)).isEqualTo(f.format(Instant.ofEpochMilli(ms)));
        }
        assertThat(SyntheticValues.isoMillis(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(SyntheticValues.isoMillis(951_782_400_000L)).isEqualTo("2000-02-29T00:00:00.000Z");
    }
}
