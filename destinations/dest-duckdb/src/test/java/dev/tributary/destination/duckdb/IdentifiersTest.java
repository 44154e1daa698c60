package dev.tributary.destination.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentifiersTest {
    @Test
    void keepsPlainNamesAndKeywords() {
        assertThat(Identifiers.normalise("id")).isEqualTo("id");
        assertThat(Identifiers.normalise("select")).isEqualTo("select");
        assertThat(Identifiers.normalise("order_total2")).isEqualTo("order_total2");
    }

    @Test
    void lowerCasesAndReplacesOtherCharactersWithOneUnderscore() {
        assertThat(Identifiers.normalise("Company Name")).isEqualTo("company_name");
        assertThat(Identifiers.normalise("e-mail")).isEqualTo("e_mail");
        assertThat(Identifiers.normalise("a -- b__c")).isEqualTo("a_b_c");
        assertThat(Identifiers.normalise("Price ($)")).isEqualTo("price");
        assertThat(Identifiers.normalise("\"quoted\".name")).isEqualTo("quoted_name");
    }

    @Test
    void trimsUnderscoresAtBothEnds() {
        assertThat(Identifiers.normalise("__id__")).isEqualTo("id");
        assertThat(Identifiers.normalise("  hello world  ")).isEqualTo("hello_world");
    }

    @Test
    void keepsLettersOfEveryScript() {
        assertThat(Identifiers.normalise("名前")).isEqualTo("名前");
        assertThat(Identifiers.normalise("Straße Nr.")).isEqualTo("straße_nr");
        assertThat(Identifiers.normalise("नाम")).as("vowel signs are marks, not separators").isEqualTo("नाम");
        assertThat(Identifiers.normalise("Ünïcödé")).isEqualTo("ünïcödé");
    }

    @Test
    void composedAndDecomposedAccentsNormaliseAlike() {
        assertThat(Identifiers.normalise("Cafe\u0301")).isEqualTo(Identifiers.normalise("Caf\u00e9")).isEqualTo("caf\u00e9");
    }

    @Test
    void prefixesALeadingDigit() {
        assertThat(Identifiers.normalise("2fa enabled")).isEqualTo("_2fa_enabled");
        assertThat(Identifiers.normalise("-1")).isEqualTo("_1");
    }

    @Test
    void nothingLeftBecomesAnUnderscore() {
        assertThat(Identifiers.normalise("")).isEqualTo("_");
        assertThat(Identifiers.normalise("!!!")).isEqualTo("_");
        assertThat(Identifiers.normalise("___")).isEqualTo("_");
    }

    @Test
    void longNamesAreCutWithAStableHash() {
        String name = "x".repeat(300);
        String normalised = Identifiers.normalise(name);
        assertThat(normalised).hasSize(Identifiers.MAX_LENGTH).startsWith("x".repeat(100)).matches("x+_[0-9a-f]{8}");
        assertThat(Identifiers.normalise(name)).isEqualTo(normalised);
        assertThat(Identifiers.normalise("x".repeat(299) + "y")).as("same start, different name").isNotEqualTo(normalised);
        assertThat(Identifiers.normalise("y".repeat(Identifiers.MAX_LENGTH))).as("exactly at the limit").isEqualTo("y".repeat(Identifiers.MAX_LENGTH));
    }

    @Test
    void longNamesAreMeasuredInCharactersNotUtf16Units() {
        assertThat(Identifiers.normalise("名".repeat(130))).hasSize(Identifiers.MAX_LENGTH);
        String supplementary = "𠀀".repeat(130); // a CJK letter outside the basic plane: two UTF-16 units each
        String cut = Identifiers.normalise(supplementary);
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(Identifiers.MAX_LENGTH);
        assertThat(cut).startsWith("𠀀".repeat(111));
    }

    @Test
    void uniqueNumbersTakenNames() {
        assertThat(Identifiers.unique("company_name", Set.of())).isEqualTo("company_name");
        assertThat(Identifiers.unique("company_name", Set.of("company_name"))).isEqualTo("company_name_2");
        assertThat(Identifiers.unique("company_name", Set.of("company_name", "company_name_2"))).isEqualTo("company_name_3");
        String longName = Identifiers.normalise("z".repeat(300));
        String second = Identifiers.unique(longName, Set.of(longName));
        assertThat(second).hasSize(Identifiers.MAX_LENGTH).endsWith("_2").isNotEqualTo(longName);
    }

    @Test
    void quotesIdentifiers() {
        assertThat(Identifiers.quote("select")).isEqualTo("\"select\"");
        assertThat(Identifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(new TableName("db", "select", "名前").quoted()).isEqualTo("\"db\".\"select\".\"名前\"");
    }
}
