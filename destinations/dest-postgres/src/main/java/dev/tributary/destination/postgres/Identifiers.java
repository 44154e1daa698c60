package dev.tributary.destination.postgres;

import dev.tributary.spi.IdentifierRule;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * PostgreSQL identifiers: the naming rule every warehouse shares ({@link IdentifierRule}), within PostgreSQL's
 * limit of {@value #MAX_BYTES} bytes per name (it silently drops the rest, so longer names are cut on a character
 * boundary and end in {@code _} and a hash of the whole name). Identifiers are always quoted when used in SQL.
 */
final class Identifiers {
    /** NAMEDATALEN - 1: the longest name PostgreSQL stores, in bytes of the database encoding (UTF-8). */
    static final int MAX_BYTES = 63;
    static final IdentifierRule RULE = IdentifierRule.utf8Bytes(MAX_BYTES);

    private Identifiers() {}

    static String normalise(String name) {
        return RULE.normalise(name);
    }

    /** {@code name} as it is when it fits in {@value #MAX_BYTES} bytes; else cut, with a hash of the whole name. */
    static String fit(String name) {
        return RULE.fit(name);
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is first not in {@code taken}. */
    static String unique(String base, Set<String> taken) {
        return RULE.unique(base, taken);
    }

    static String quote(String identifier) {
        return IdentifierRule.quote(identifier);
    }

    /** The length of {@code s} in UTF-8, the unit of PostgreSQL's name limit. */
    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
