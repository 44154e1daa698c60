package dev.tributary.destination.postgres;

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
        assertThat(Identifiers.normalise("_tributary_x")).as("never one of our own names").isEqualTo("tributary_x");
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
    void longNamesAreCutTo63BytesWithAStableHash() {
        String name = "x".repeat(300);
        String normalised = Identifiers.normalise(name);
        assertThat(normalised).hasSize(Identifiers.MAX_BYTES).isEqualTo("x".repeat(54) + normalised.substring(54)).matches("x{54}_[0-9a-f]{8}");
        assertThat(Identifiers.normalise(name)).as("stable").isEqualTo(normalised);
        assertThat(Identifiers.normalise("x".repeat(299) + "y")).as("same start, different name").isNotEqualTo(normalised)
                .startsWith("x".repeat(54) + "_");
        assertThat(Identifiers.normalise("y".repeat(63))).as("exactly at the limit").isEqualTo("y".repeat(63));
        assertThat(Identifiers.normalise("y".repeat(64))).as("one byte over").matches("y{54}_[0-9a-f]{8}");
    }

    @Test
    void theLimitIsInUtf8BytesAndCutsOnCharacterBoundaries() {
        // 名 is 3 bytes in UTF-8: 21 of them are exactly 63 bytes.
        assertThat(Identifiers.normalise("名".repeat(21))).isEqualTo("名".repeat(21));
        String cjk = Identifiers.normalise("名".repeat(22));
        assertThat(cjk).startsWith("名".repeat(18) + "_").matches("名{18}_[0-9a-f]{8}");
        assertThat(Identifiers.bytes(cjk)).isEqualTo(63);
        // One ASCII letter first shifts every boundary by a byte: the cut must not split a character.
        String shifted = Identifiers.normalise("a" + "名".repeat(21));
        assertThat(shifted).matches("a名{17}_[0-9a-f]{8}");
        assertThat(Identifiers.bytes(shifted)).isEqualTo(61);
        String twoByte = Identifiers.normalise("ü".repeat(32)); // 64 bytes
        assertThat(twoByte).matches("ü{27}_[0-9a-f]{8}");
        String supplementary = Identifiers.normalise("𠀀".repeat(20)); // 4 bytes each, two UTF-16 units
        assertThat(supplementary).startsWith("𠀀".repeat(13) + "_");
        assertThat(Identifiers.bytes(supplementary)).isEqualTo(61);
        for (String s : new String[] {cjk, shifted, twoByte, supplementary}) {
            assertThat(Identifiers.bytes(s)).isLessThanOrEqualTo(Identifiers.MAX_BYTES);
        }
    }

    @Test
    void longMultiByteNamesSharingAPrefixStayDistinct() {
        String a = Identifiers.normalise("名前".repeat(20) + "の一");
        String b = Identifiers.normalise("名前".repeat(20) + "の二");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.substring(0, a.length() - 8)).isEqualTo(b.substring(0, b.length() - 8));
    }

    @Test
    void uniqueNumbersTakenNamesWithinTheLimit() {
        assertThat(Identifiers.unique("company_name", Set.of())).isEqualTo("company_name");
        assertThat(Identifiers.unique("company_name", Set.of("company_name"))).isEqualTo("company_name_2");
        assertThat(Identifiers.unique("company_name", Set.of("company_name", "company_name_2"))).isEqualTo("company_name_3");
        String longName = Identifiers.normalise("z".repeat(300));
        String second = Identifiers.unique(longName, Set.of(longName));
        assertThat(second).hasSize(63).endsWith("_2").isNotEqualTo(longName);
        String atLimit = "名".repeat(21);
        assertThat(Identifiers.unique(atLimit, Set.of(atLimit))).isEqualTo("名".repeat(20) + "_2");
    }

    @Test
    void fitLeavesShortNamesAloneAndHashesLongOnes() {
        assertThat(Identifiers.fit("_tributary_people_id_key")).isEqualTo("_tributary_people_id_key");
        assertThat(Identifiers.bytes(Identifiers.fit("_tributary_" + "名".repeat(21) + "_id_key"))).isLessThanOrEqualTo(63);
    }

    @Test
    void quotesIdentifiers() {
        assertThat(Identifiers.quote("select")).isEqualTo("\"select\"");
        assertThat(Identifiers.quote("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(new TableName("select", "名前").quoted()).isEqualTo("\"select\".\"名前\"");
    }

    @Test
    void schemasArePrefixAndNamespaceNormalisedTogether() {
        assertThat(TableName.schema("", "CRM")).isEqualTo("crm");
        assertThat(TableName.schema("dev_", "CRM")).isEqualTo("dev_crm");
        assertThat(TableName.schema("", " ")).isEqualTo("public");
        assertThat(TableName.schema("dev_", "")).isEqualTo("dev_public");
        assertThat(TableName.schema("dev_", "tributary")).isEqualTo("dev_tributary");
        assertThat(TableName.schema("2024 ", "Sales Data")).isEqualTo("_2024_sales_data");
        assertThat(TableName.schema("", "PG Prod")).as("pg_ is reserved for system schemas").isEqualTo("_pg_prod");
        assertThat(TableName.schema("", "pgsql")).isEqualTo("pgsql");
    }
}
