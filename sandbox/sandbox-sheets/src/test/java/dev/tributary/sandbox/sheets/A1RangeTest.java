package dev.tributary.sandbox.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.sandbox.sheets.data.A1Range;
import java.util.Set;
import org.junit.jupiter.api.Test;

class A1RangeTest {
    private static final Set<String> SHEETS = Set.of("Sheet1", "Leads 2026", "Bob's Import");

    private static A1Range p(String s) {
        return A1Range.parse(s, SHEETS::contains);
    }

    @Test
    void parsesSheetsCellsAndOpenEnds() {
        assertThat(p("Sheet1")).isEqualTo(new A1Range("Sheet1", null, null, null, null));
        assertThat(p("Sheet1!A1:D4")).isEqualTo(new A1Range("Sheet1", 0, 0, 3, 3));
        assertThat(p("'Leads 2026'!A1:F")).isEqualTo(new A1Range("Leads 2026", 0, 0, null, 5));
        assertThat(p("'Bob''s Import'!A:A")).isEqualTo(new A1Range("Bob's Import", 0, 0, null, 0));
        assertThat(p("'Bob''s Import'")).isEqualTo(new A1Range("Bob's Import", null, null, null, null));
        assertThat(p("Sheet1!3:5")).isEqualTo(new A1Range("Sheet1", 2, 0, 4, null));
        assertThat(p("A2:C")).isEqualTo(new A1Range(null, 1, 0, null, 2));
        assertThat(p("B7")).isEqualTo(new A1Range(null, 6, 1, 6, 1));
        assertThat(p("Sheet1!AA10:AB12")).isEqualTo(new A1Range("Sheet1", 9, 26, 11, 27));
        assertThat(p("Sheet1!C3:A1")).isEqualTo(new A1Range("Sheet1", 0, 0, 2, 2));
    }

    @Test
    void rejectsWhatSheetsCannotParse() {
        for (String bad : new String[] {"", "'unclosed!A1", "Sheet1!A1:B2:C3", "Sheet1!1A", "Nope", "'Leads 2026'x", "Sheet1!A0"}) {
            assertThatThrownBy(() -> p(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unable to parse range");
        }
    }

    @Test
    void formatsAndQuotesLikeSheets() {
        assertThat(A1Range.format("Sheet1", 0, 0, 119, 5)).isEqualTo("Sheet1!A1:F120");
        assertThat(A1Range.format("Leads 2026", 0, 0, 0, 0)).isEqualTo("'Leads 2026'!A1");
        assertThat(A1Range.format("Bob's Import", 1, 0, 6, 5)).isEqualTo("'Bob''s Import'!A2:F7");
        assertThat(A1Range.columnLetters(0)).isEqualTo("A");
        assertThat(A1Range.columnLetters(25)).isEqualTo("Z");
        assertThat(A1Range.columnLetters(26)).isEqualTo("AA");
        assertThat(A1Range.columnIndex("AB")).isEqualTo(27);
    }
}
