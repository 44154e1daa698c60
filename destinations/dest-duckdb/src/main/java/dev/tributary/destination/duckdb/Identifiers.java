package dev.tributary.destination.duckdb;

import dev.tributary.spi.IdentifierRule;
import java.util.Set;

/**
 * DuckDB identifiers: the naming rule every warehouse shares ({@link IdentifierRule}), at most {@value #MAX_LENGTH}
 * characters (longer names keep their first characters and end in {@code _} and an 8-digit hash of the whole
 * name). Identifiers are always quoted when used in SQL.
 */
final class Identifiers {
    static final int MAX_LENGTH = 120;
    static final IdentifierRule RULE = IdentifierRule.characters(MAX_LENGTH);

    private Identifiers() {}

    static String normalise(String name) {
        return RULE.normalise(name);
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is first not in {@code taken} (lower-case names). */
    static String unique(String base, Set<String> taken) {
        return RULE.unique(base, taken);
    }

    static String quote(String identifier) {
        return IdentifierRule.quote(identifier);
    }
}
