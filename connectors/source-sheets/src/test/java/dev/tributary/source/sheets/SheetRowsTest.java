package dev.tributary.source.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Numbers typed as text, and header texts as column names. */
class SheetRowsTest {
    @Test
    void numbersTypedAsTextAreReadTheWaysPeopleTypeThem() {
        assertThat(SheetRows.parseNumber("1200")).isEqualTo(1200.0);
        assertThat(SheetRows.parseNumber(" 42 ")).isEqualTo(42.0);
        assertThat(SheetRows.parseNumber("1,200")).isEqualTo(1200.0);
        assertThat(SheetRows.parseNumber("1,200.50")).isEqualTo(1200.5);
        assertThat(SheetRows.parseNumber("1.200,50")).isEqualTo(1200.5);
        assertThat(SheetRows.parseNumber("980,5")).isEqualTo(980.5);
        assertThat(SheetRows.parseNumber("1.234.567")).isEqualTo(1234567.0);
        assertThat(SheetRows.parseNumber("$1,200.00")).isEqualTo(1200.0);
        assertThat(SheetRows.parseNumber("€ 980,5")).isEqualTo(980.5);
        assertThat(SheetRows.parseNumber("-3.5")).isEqualTo(-3.5);
        for (String notANumber : new String[] {"n/a", "", "12%", "+49 30 1234567", "1,2,3", "1.2.3", "abc1", "1e5"}) {
            assertThat(SheetRows.parseNumber(notANumber)).as(notANumber).isNull();
        }
    }

    @Test
    void aLoneDotBeforeThreeDigitsIsAmbiguousUnlessTheDecimalSeparatorIsSaid() {
        // a de_DE export writes twelve hundred as "1.200"; an en_US sheet means 1.2: no guess
        assertThat(SheetRows.parseNumber("1.200")).isNull();
        assertThat(SheetRows.parseNumber("-12.500")).isNull();
        assertThat(SheetRows.parseNumber("0.125")).isEqualTo(0.125);
        assertThat(SheetRows.parseNumber("1.25")).isEqualTo(1.25);
        assertThat(SheetRows.parseNumber("1.200", ',')).isEqualTo(1200.0);
        assertThat(SheetRows.parseNumber("1.200,5", ',')).isEqualTo(1200.5);
        assertThat(SheetRows.parseNumber("1,200", ',')).isEqualTo(1.2);
        assertThat(SheetRows.parseNumber("1,200.50", ',')).isNull();
        assertThat(SheetRows.parseNumber("1.200", '.')).isEqualTo(1.2);
        assertThat(SheetRows.parseNumber("1,200", '.')).isEqualTo(1200.0);
        assertThat(SheetRows.parseNumber("1.200,50", '.')).isNull();
    }

    @Test
    void headerTextsBecomeSnakeCaseColumnNames() {
        assertThat(SheetsConfig.columnName(" Email ")).isEqualTo("email");
        assertThat(SheetsConfig.columnName("First Name")).isEqualTo("first_name");
        assertThat(SheetsConfig.columnName("Deal Size (EUR)")).isEqualTo("deal_size_eur");
        assertThat(SheetsConfig.columnName("Bob's Import")).isEqualTo("bob_s_import");
        assertThat(SheetsConfig.columnName("Straße")).isEqualTo("straße");
        assertThat(SheetsConfig.columnName("  ")).isEmpty();
    }
}
