package dev.tributary.source.files;

import static dev.tributary.source.files.TypeInference.NO_FIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.spi.DataType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TypeInferenceTest {
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "true|BOOLEAN", "FALSE|BOOLEAN", "True|BOOLEAN", "yes|TEXT", "t|TEXT",
            "0|INTEGER", "42|INTEGER", "-7|INTEGER", "9223372036854775807|INTEGER", "-9223372036854775808|INTEGER",
            "9223372036854775808|DECIMAL", "01234|TEXT", "+5|TEXT", "00|TEXT", "-|TEXT",
            "1.5|DECIMAL", "-0.25|DECIMAL", "0.0|DECIMAL", "1.|TEXT", ".5|TEXT", "01.5|TEXT", "1.2.3|TEXT",
            "1e5|NUMBER", "1.5E-3|NUMBER", "-2e+10|NUMBER", "1e400|TEXT", "1e|TEXT",
            "2024-05-01|DATE", "2024-02-30|TEXT", "2024-5-1|TEXT", "20240501|INTEGER",
            "2024-05-01T10:15|TIMESTAMP", "2024-05-01 10:15:30|TIMESTAMP", "2024-05-01T10:15:30.123456|TIMESTAMP",
            "2024-05-01T10:15:30,5|TIMESTAMP",
            "2024-05-01T10:15:30Z|TIMESTAMP_TZ", "2024-05-01T10:15:30+02:00|TIMESTAMP_TZ", "2024-05-01 10:15-0530|TIMESTAMP_TZ",
            "2024-05-01T10:15:30+02|TIMESTAMP_TZ", "2024-05-01T25:00|TEXT", "2024-05-01T10:15:30+2|TEXT", "2024-05-01T10|TEXT",
            "2024-05-01T10:15:30.1234567890|TEXT",
            "hello|TEXT", "12abc|TEXT", "'1,000'|TEXT", "NaN|TEXT", "' 42'|TEXT"})
    void classifiesCsvText(String text, DataType expected) {
        assertThat(TypeInference.classify(text)).isEqualTo(expected);
    }

    @Test
    void timestampsWithAZoneAreTheInstantsJavaTimeMakesOfThem() {
        // counted without a LocalDateTime on the way: the same instant as java.time's own parsing, null where it refuses
        for (String s : List.of("2024-05-01T10:15:30Z", "2024-05-01T10:15:30.123456789+02:00", "2024-05-01T10:15-05:30", "1969-12-31T23:59:59.999Z",
                "0001-01-01T00:00:00+18:00", "9999-12-31T23:59:59.999999999-18:00", "2024-02-29T12:00:00+01:00", "1970-01-01T00:00:00,5z")) {
            assertThat(TypeInference.parseTemporal(s)).as(s).isEqualTo(java.time.OffsetDateTime.parse(s.replace(',', '.').replace('z', 'Z')).toInstant());
        }
        assertThat(TypeInference.parseTemporal("2024-05-01 10:15+0200")).isEqualTo(Instant.parse("2024-05-01T08:15:00Z"));
        for (String s : List.of("2023-02-29T12:00:00Z", "2024-04-31T00:00Z", "2024-13-01T00:00Z", "2024-00-10T00:00Z", "2024-05-00T00:00Z",
                "2024-05-01T24:00Z", "2024-05-01T10:60Z", "2024-05-01T10:15:60Z", "2024-05-01T10:15+19:00", "2024-05-01T10:15+02:60")) {
            assertThat(TypeInference.parseTemporal(s)).as(s).isNull();
        }
    }

    @Test
    void jsonStringsAreTextUnlessTemporal() {
        assertThat(TypeInference.classifyJsonString("42")).isEqualTo(DataType.TEXT);
        assertThat(TypeInference.classifyJsonString("true")).isEqualTo(DataType.TEXT);
        assertThat(TypeInference.classifyJsonString("2024-05-01")).isEqualTo(DataType.DATE);
        assertThat(TypeInference.classifyJsonString("2024-05-01T10:00:00Z")).isEqualTo(DataType.TIMESTAMP_TZ);
    }

    @Test
    void strictValuesHaveTheJavaTypesOfTheirColumnType() {
        assertThat(TypeInference.parseStrict("42", DataType.INTEGER)).isEqualTo(42L);
        assertThat(TypeInference.parseStrict("-42", DataType.INTEGER)).isEqualTo(-42L);
        assertThat(TypeInference.parseStrict("1.50", DataType.DECIMAL)).isEqualTo(new BigDecimal("1.50"));
        assertThat(TypeInference.parseStrict("7", DataType.DECIMAL)).isEqualTo(new BigDecimal("7"));
        assertThat(TypeInference.parseStrict("1e3", DataType.NUMBER)).isEqualTo(1000.0);
        assertThat(TypeInference.parseStrict("TRUE", DataType.BOOLEAN)).isEqualTo(true);
        assertThat(TypeInference.parseStrict("2024-05-01", DataType.DATE)).isEqualTo(LocalDate.of(2024, 5, 1));
        assertThat(TypeInference.parseStrict("2024-05-01", DataType.TIMESTAMP)).isEqualTo(LocalDateTime.of(2024, 5, 1, 0, 0));
        assertThat(TypeInference.parseStrict("2024-05-01 10:15:30.5", DataType.TIMESTAMP))
                .isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 15, 30, 500_000_000));
        assertThat(TypeInference.parseStrict("2024-05-01T10:00:00+02:00", DataType.TIMESTAMP_TZ))
                .isEqualTo(Instant.parse("2024-05-01T08:00:00Z"));
        assertThat(TypeInference.parseStrict("2024-05-01T10:00:00-0530", DataType.TIMESTAMP_TZ))
                .isEqualTo(Instant.parse("2024-05-01T15:30:00Z"));
        assertThat(TypeInference.parseStrict("2024-05-01T10:00", DataType.TIMESTAMP_TZ)).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(TypeInference.parseStrict("01234", DataType.TEXT)).isEqualTo("01234");
    }

    @Test
    void strictParsingRefusesWhatInferenceWouldNotChoose() {
        assertThat(TypeInference.parseStrict("01234", DataType.INTEGER)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseStrict("1.5", DataType.INTEGER)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseStrict("1e3", DataType.DECIMAL)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseStrict("yes", DataType.BOOLEAN)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseStrict("2024-05-01T10:00", DataType.DATE)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseStrict("2024-05-01T10:00Z", DataType.TIMESTAMP)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseStrict("x", DataType.JSON)).isSameAs(NO_FIT);
    }

    @Test
    void explicitTypesAreReadLeniently() {
        assertThat(TypeInference.parseExplicit(" 007 ", DataType.INTEGER)).isEqualTo(7L);
        assertThat(TypeInference.parseExplicit("+5", DataType.INTEGER)).isEqualTo(5L);
        assertThat(TypeInference.parseExplicit("1.0", DataType.INTEGER)).isEqualTo(1L);
        assertThat(TypeInference.parseExplicit("1.5", DataType.INTEGER)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseExplicit("abc", DataType.DECIMAL)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseExplicit("1e3", DataType.DECIMAL)).isEqualTo(new BigDecimal("1e3"));
        assertThat(TypeInference.parseExplicit("1e99999", DataType.DECIMAL)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseExplicit("0x10", DataType.NUMBER)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseExplicit("Yes", DataType.BOOLEAN)).isEqualTo(true);
        assertThat(TypeInference.parseExplicit("0", DataType.BOOLEAN)).isEqualTo(false);
        assertThat(TypeInference.parseExplicit("2024-05-01T10:00:00Z", DataType.TIMESTAMP)).isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 0));
        assertThat(TypeInference.parseExplicit("2024-13-01", DataType.DATE)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseExplicit("{\"a\": [1, 2]}", DataType.JSON)).isEqualTo(Map.of("a", List.of(1, 2)));
        assertThat(TypeInference.parseExplicit("{oops", DataType.JSON)).isSameAs(NO_FIT);
        assertThat(TypeInference.parseExplicit(" keep spaces ", DataType.TEXT)).isEqualTo(" keep spaces ");
    }

    @Test
    void valuesWidenToWiderTypes() {
        assertThat(TypeInference.widenValue(5L, DataType.DECIMAL)).isEqualTo(BigDecimal.valueOf(5));
        assertThat(TypeInference.widenValue(5L, DataType.NUMBER)).isEqualTo(5.0);
        assertThat(TypeInference.widenValue(new BigDecimal("1.25"), DataType.NUMBER)).isEqualTo(1.25);
        assertThat(TypeInference.widenValue(LocalDate.of(2024, 5, 1), DataType.TIMESTAMP)).isEqualTo(LocalDateTime.of(2024, 5, 1, 0, 0));
        assertThat(TypeInference.widenValue(LocalDateTime.of(2024, 5, 1, 10, 0), DataType.TIMESTAMP_TZ))
                .isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(TypeInference.widenValue(new BigDecimal("0.0000001"), DataType.TEXT)).isEqualTo("0.0000001");
        assertThat(TypeInference.widenValue(Map.of("a", 1), DataType.TEXT)).isEqualTo("{\"a\":1}");
        assertThat(TypeInference.widenValue(true, DataType.TEXT)).isEqualTo("true");
    }
}
