package dev.tributary.scheduler.alert;

import java.time.Instant;
import java.util.Optional;

/** Tells how recent a table's data is, for table freshness alerts. */
@FunctionalInterface
public interface TableAgeProbe {
    /**
     * The newest value of {@code column} in {@code table} (schema-qualified as written, e.g. {@code hubspot.contacts}),
     * or empty when the table has no rows.
     *
     * @throws RuntimeException when the table or column cannot be read
     */
    Optional<Instant> newest(String table, String column);
}
