package dev.tributary.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentifierRuleTest {
    private final IdentifierRule duckdb = IdentifierRule.characters(120);
    private final IdentifierRule postgres = IdentifierRule.utf8Bytes(63);

    @Test
    void everyWarehouseNamesAFieldTheSameWayWithinItsLimit() {
        for (String name : List.of("Company Name", "select", "e-mail", "名前", "2nd phone", "  __ ", "Zoë's  Ünïcode!", "hs_object_id")) {
            assertThat(postgres.normalise(name)).as(name).isEqualTo(duckdb.normalise(name));
        }
        assertThat(duckdb.normalise("Company Name")).isEqualTo("company_name");
        assertThat(duckdb.normalise("2nd phone")).isEqualTo("_2nd_phone");
        assertThat(duckdb.normalise("  __ ")).isEqualTo("_");
    }

    @Test
    void limitsCountTheirOwnUnit() {
        String long名 = "名".repeat(40);
        assertThat(duckdb.normalise(long名)).isEqualTo(long名);
        String cut = postgres.normalise(long名);
        assertThat(postgres.length(cut)).isLessThanOrEqualTo(63);
        assertThat(cut).matches("名+_[0-9a-f]{8}");
        assertThat(postgres.unique(cut, Set.of(cut))).isNotEqualTo(cut).endsWith("_2");
        assertThat(postgres.length(postgres.unique(cut, Set.of(cut)))).isLessThanOrEqualTo(63);
        assertThat(IdentifierRule.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    }
}
